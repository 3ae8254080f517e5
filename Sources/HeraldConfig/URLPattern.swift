import HeraldDiscover
import HeraldFormats

/// A regular expression from a crawl definition's allow/deny lists, as written and checked to
/// compile the way the crawler compiles it (HeraldDiscover's `LinkRules`: matched anywhere in the
/// URL like Python's `re.search`, Python-only spellings accepted).
public struct URLPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let source: String

    /// Checks that `source` compiles; the error names the pattern.
    public init(_ source: String) throws(ValueSyntaxError) {
        do {
            try LinkRules.validate(source)
        } catch {
            // The regex engine gives no reason beyond "invalid"; the pattern itself is the useful part.
            throw ValueSyntaxError("invalid regular expression \"\(source)\" (check brackets and quantifiers; escape literal ( ) [ ] { } ? + * . with \\)")
        }
        self.source = source
    }

    public var description: String { source }
}

/// An allow list and a deny list of URL patterns: a URL passes when it matches some allow
/// pattern (or the allow list is empty) and no deny pattern. Compiled once into `LinkRules`;
/// immutable and safe to share between tasks.
public struct URLRules: Sendable, Hashable {
    public let allow: [URLPattern]
    public let deny: [URLPattern]
    private let compiled: LinkRules

    public init(allow: [URLPattern] = [], deny: [URLPattern] = []) {
        self.allow = allow
        self.deny = deny
        // Every URLPattern compiled when it was made, so this cannot fail.
        compiled = (try? LinkRules(allow: allow.map(\.source), deny: deny.map(\.source))) ?? .everything
    }

    public func admits(_ url: String) -> Bool { compiled.matches(url) }

    public static func == (a: URLRules, b: URLRules) -> Bool { a.allow == b.allow && a.deny == b.deny }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(allow)
        hasher.combine(deny)
    }
}

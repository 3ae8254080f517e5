import Foundation

/// A regular expression from a crawl definition's allow/deny lists, matched anywhere in the
/// URL (like Python's `re.search`: anchor with `^` to match from the start). Python spellings
/// ICU lacks (`(?P<name>...)`, `(?P=name)`, `\Z`) are accepted, exactly as HeraldDiscover's
/// `LinkRules` compiles them, so `herald check` accepts what the crawler will. Safe to share
/// between tasks: NSRegularExpression is immutable and thread-safe.
public struct URLPattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let source: String
    private let regex: NSRegularExpression

    /// Compiles `source`; the error carries the regex engine's reason.
    public init(_ source: String) throws(ValueSyntaxError) {
        do {
            regex = try NSRegularExpression(pattern: Self.translate(source))
        } catch {
            // Foundation gives no reason beyond "invalid"; the pattern itself is the useful part.
            throw ValueSyntaxError("invalid regular expression \"\(source)\" (check brackets and quantifiers; escape literal ( ) [ ] { } ? + * . with \\)")
        }
        self.source = source
    }

    /// Whether the pattern matches somewhere in `url`.
    public func matches(_ url: String) -> Bool {
        regex.firstMatch(in: url, range: NSRange(url.startIndex..., in: url)) != nil
    }

    public var description: String { source }

    /// Rewrites Python-only syntax into ICU's: named groups, named back-references, `\Z`.
    static func translate(_ pattern: String) -> String {
        guard pattern.contains("(?P") || pattern.contains("\\Z") else { return pattern }
        var out = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
        while let r = out.range(of: "(?P=") {
            guard let close = out[r.upperBound...].firstIndex(of: ")") else { break }
            let name = out[r.upperBound..<close]
            out.replaceSubrange(r.lowerBound...close, with: "\\k<\(name)>")
        }
        return out.replacingOccurrences(of: "\\Z", with: "\\z")
    }

    public static func == (a: URLPattern, b: URLPattern) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// An allow list and a deny list of URL patterns: a URL passes when it matches some allow
/// pattern (or the allow list is empty) and no deny pattern.
public struct URLRules: Sendable, Hashable {
    public var allow: [URLPattern]
    public var deny: [URLPattern]

    public init(allow: [URLPattern] = [], deny: [URLPattern] = []) {
        self.allow = allow
        self.deny = deny
    }

    public func admits(_ url: String) -> Bool {
        (allow.isEmpty || allow.contains { $0.matches(url) }) && !deny.contains { $0.matches(url) }
    }
}

import Foundation

/// An allow/deny pair of regular-expression lists deciding which URLs a crawl follows (the
/// `follow:` section of a crawl definition) or which pages are articles (`articles:`).
///
/// A URL matches when it matches at least one `allow` pattern (or `allow` is empty) and no
/// `deny` pattern. Patterns are searched anywhere in the normalized URL, like Python's
/// `re.search`: anchor with `^`/`$` to match the whole URL. Patterns are compiled once, at
/// construction; matching is thread-safe.
public struct LinkRules: Sendable {
    /// A pattern that does not compile, with the regex engine's reason.
    public struct InvalidPattern: Error, Equatable, CustomStringConvertible {
        /// Which list the pattern is in: `allow` or `deny`.
        public var list: String
        /// The position in that list (0-based).
        public var index: Int
        public var pattern: String
        public var reason: String
        public var description: String { "\(list)[\(index)]: invalid regular expression '\(pattern)': \(reason)" }
    }

    public let allow: [String]
    public let deny: [String]
    private let allowRegexes: [CompiledPattern]
    private let denyRegexes: [CompiledPattern]

    /// Rules that match every URL.
    public static let everything = LinkRules(compiled: [], deny: [])

    /// Compiles the patterns; throws `InvalidPattern` naming the first that does not compile.
    public init(allow: [String] = [], deny: [String] = []) throws {
        self.allow = allow
        self.deny = deny
        allowRegexes = try allow.enumerated().map { try CompiledPattern($1, list: "allow", index: $0) }
        denyRegexes = try deny.enumerated().map { try CompiledPattern($1, list: "deny", index: $0) }
    }

    private init(compiled: [String], deny: [String]) {
        allow = compiled
        self.deny = deny
        allowRegexes = []
        denyRegexes = []
    }

    /// True when `url` is allowed and not denied.
    public func matches(_ url: CrawlURL) -> Bool { matches(url.string) }

    /// True when `string` is allowed and not denied.
    public func matches(_ string: String) -> Bool {
        if allowRegexes.isEmpty && denyRegexes.isEmpty { return true }
        let range = NSRange(location: 0, length: string.utf16.count)
        if !allowRegexes.isEmpty && !allowRegexes.contains(where: { $0.search(string, range) }) { return false }
        return !denyRegexes.contains { $0.search(string, range) }
    }

    /// Checks a pattern's syntax the way `LinkRules` will compile it (for `herald check`).
    public static func validate(_ pattern: String) throws {
        _ = try CompiledPattern(pattern, list: "pattern", index: 0)
    }
}

/// One compiled pattern. `NSRegularExpression` is immutable once built and documented safe to
/// use from several threads.
private struct CompiledPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, list: String, index: Int) throws {
        do {
            regex = try NSRegularExpression(pattern: CompiledPattern.translate(pattern))
        } catch {
            throw LinkRules.InvalidPattern(list: list, index: index, pattern: pattern,
                                           reason: CompiledPattern.reason(error))
        }
    }

    func search(_ s: String, _ range: NSRange) -> Bool {
        regex.firstMatch(in: s, options: [], range: range) != nil
    }

    /// Python spellings that ICU writes differently: named groups `(?P<n>...)` and
    /// back-references `(?P=n)`; `\Z` (end of string) is ICU's `\z`.
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

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo["NSInvalidValue"] { return "rejected by the regex engine (\(detail))" }
        return "rejected by the regex engine"
    }
}

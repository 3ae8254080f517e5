import Foundation

/// An allow/deny pair of regular-expression lists deciding which URLs a crawl follows (the
/// `follow:` section of a crawl definition) or which pages are articles (`articles:`).
///
/// A URL matches when it matches at least one `allow` pattern (or `allow` is empty) and no
/// `deny` pattern. Patterns are searched anywhere in the normalized URL, like Python's
/// `re.search`: anchor with `^`/`$` to match the whole URL. Patterns are compiled once, at
/// construction (plain-text patterns such as `/tags/` or `^https://www\.example\.com/news/`
/// become byte comparisons, which are ~50x cheaper than a regex engine call); matching is
/// thread-safe.
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
    private let allowPatterns: [CompiledPattern]
    private let denyPatterns: [CompiledPattern]

    /// Rules that match every URL.
    public static let everything = LinkRules()

    /// Compiles the patterns; throws `InvalidPattern` naming the first that does not compile.
    public init(allow: [String] = [], deny: [String] = []) throws {
        self.allow = allow
        self.deny = deny
        allowPatterns = try allow.enumerated().map { try CompiledPattern($1, list: "allow", index: $0) }
        denyPatterns = try deny.enumerated().map { try CompiledPattern($1, list: "deny", index: $0) }
    }

    private init() {
        allow = []
        deny = []
        allowPatterns = []
        denyPatterns = []
    }

    /// True when `url` is allowed and not denied.
    public func matches(_ url: CrawlURL) -> Bool { matches(url.string) }

    /// True when `string` is allowed and not denied.
    public func matches(_ string: String) -> Bool {
        if allowPatterns.isEmpty && denyPatterns.isEmpty { return true }
        var subject = Subject(string)
        if !allowPatterns.isEmpty && !allowPatterns.contains(where: { $0.search(&subject) }) { return false }
        return !denyPatterns.contains { $0.search(&subject) }
    }

    /// Checks a pattern's syntax the way `LinkRules` will compile it (for `herald check`).
    public static func validate(_ pattern: String) throws {
        _ = try CompiledPattern(pattern, list: "pattern", index: 0)
    }
}

/// The URL being matched, with its UTF-8 bytes and NSRange computed once for all patterns.
private struct Subject {
    let string: String
    let bytes: [UInt8]
    lazy var range = NSRange(location: 0, length: string.utf16.count)

    init(_ string: String) {
        self.string = string
        bytes = Array(string.utf8)
    }
}

/// One compiled pattern: a byte comparison when the pattern is plain text, else an
/// `NSRegularExpression`, which is immutable once built and documented safe to share.
private enum CompiledPattern: Sendable {
    case literal(bytes: [UInt8], atStart: Bool, atEnd: Bool)
    case regex(NSRegularExpression)

    init(_ pattern: String, list: String, index: Int) throws {
        let translated = CompiledPattern.translate(pattern)
        let regex: NSRegularExpression
        do {
            // Compiled even when a literal form exists, so validation is the regex engine's.
            regex = try NSRegularExpression(pattern: translated)
        } catch {
            throw LinkRules.InvalidPattern(list: list, index: index, pattern: pattern,
                                           reason: CompiledPattern.reason(error))
        }
        if let literal = CompiledPattern.literal(translated) {
            self = .literal(bytes: literal.bytes, atStart: literal.atStart, atEnd: literal.atEnd)
        } else {
            self = .regex(regex)
        }
    }

    func search(_ subject: inout Subject) -> Bool {
        switch self {
        case .regex(let regex):
            return regex.firstMatch(in: subject.string, options: [], range: subject.range) != nil
        case .literal(let needle, let atStart, let atEnd):
            let hay = subject.bytes
            if atStart && atEnd { return hay == needle }
            if atStart { return hay.starts(with: needle) }
            if atEnd { return hay.count >= needle.count && hay[(hay.count - needle.count)...].elementsEqual(needle) }
            return CompiledPattern.contains(hay, needle)
        }
    }

    private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard hay.count >= needle.count else { return false }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The plain text a pattern matches when it has no regex operators: an optional `^`, then
    /// characters or backslash-escaped punctuation, then an optional `$`. Nil otherwise.
    static func literal(_ pattern: String) -> (bytes: [UInt8], atStart: Bool, atEnd: Bool)? {
        var chars = Array(pattern.utf8)
        var atStart = false, atEnd = false
        if chars.first == UInt8(ascii: "^") { atStart = true; chars.removeFirst() }
        if chars.last == UInt8(ascii: "$") {
            // "\$" at the end is a literal dollar, not an anchor.
            var backslashes = 0
            var j = chars.count - 2
            while j >= 0 && chars[j] == UInt8(ascii: "\\") { backslashes += 1; j -= 1 }
            if backslashes % 2 == 0 { atEnd = true; chars.removeLast() }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < chars.count else { return nil }
                let next = chars[i + 1]
                // Escaped ASCII punctuation is itself; \d, \w, \b, \Q and other letters are not.
                guard next < 0x80, !isAlphanumeric(next) else { return nil }
                out.append(next)
                i += 2
                continue
            }
            switch c {
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: "?"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "#"):
                return nil
            default:
                // Non-ASCII would need ICU's case and normalization semantics; leave it to ICU.
                guard c < 0x80, c >= 0x20 else { return nil }
                out.append(c)
            }
            i += 1
        }
        return (out, atStart, atEnd)
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
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
        // Foundation reports no position or cause on Linux, only that ICU refused the pattern.
        "ICU cannot compile it (escape literal ( ) [ ] { } ? + * . | with \\)"
    }
}

import Foundation

/// An absolute http(s) URL in herald's normalized form; its `string` is the key the crawl
/// engine deduplicates on, so two spellings of one resource give equal values.
///
/// Normalization (RFC 3986 section 6 plus what browsers do with sloppy hrefs): scheme and host
/// lower-cased (non-ASCII hosts punycoded, trailing dot dropped), default port and fragment
/// dropped, empty path made `/`, dot segments resolved, percent-encoding normalized (unreserved
/// characters decoded, other escapes upper-cased, spaces and non-ASCII encoded), tracking
/// parameters (`TrackingParameters`) removed and the query sorted by key (stable for repeated
/// keys). The sorted query is for the key only: a URL is fetched, and robots.txt rules are
/// matched, with its parameters in the order the site linked them (`requestString`,
/// `pathAndQuery`), since a site's rules and its server are written for its own order. Only
/// `http` and `https` are accepted. Immutable and `Sendable`.
public struct CrawlURL: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The normalized URL.
    public let string: String
    /// `http` or `https`.
    public let scheme: String
    /// Lower-case host (punycode for internationalized names; IPv6 literals in brackets).
    public let host: String
    /// The port when it is not the scheme's default, else nil.
    public let port: Int?
    /// The path, always starting with `/`.
    public let path: String
    /// The query without `?`, parameters sorted by key; nil when there is none (an empty query
    /// is dropped).
    public let query: String?
    /// The same parameters in the site's order.
    let linkedQuery: String?

    /// Parses and normalizes `string`, resolving it against `base` when it is relative (as an
    /// `href` is resolved against its page). Nil for other schemes (`mailto:`, `javascript:`),
    /// relative references without a base, and malformed hosts or ports.
    public init?(_ string: String, relativeTo base: CrawlURL? = nil) {
        guard let parts = URLParser.parse(Array(string.utf8), base: base) else { return nil }
        self.init(parts: parts)
    }

    /// The normalized form of a Foundation URL (as crawl definitions and the fetcher hold them).
    public init?(_ url: URL) {
        self.init(url.absoluteString)
    }

    /// The URL to request: the normalized URL with the query in the site's order.
    public var requestString: String {
        guard linkedQuery != query, let linkedQuery, let query else { return string }
        return String(decoding: string.utf8.dropLast(query.utf8.count), as: UTF8.self) + linkedQuery
    }

    /// The URL to request as a Foundation `URL`, for APIs that take one.
    public var url: URL {
        // Every normalized string is RFC 3986-valid ASCII, which URL always accepts.
        URL(string: requestString)!
    }

    init(parts: URLParts) {
        scheme = parts.scheme
        host = parts.host
        port = parts.port
        path = parts.path
        query = parts.query
        linkedQuery = parts.linkedQuery ?? parts.query
        var s = scheme + "://"
        if let userinfo = parts.userinfo { s += userinfo + "@" }
        s += host
        if let port { s += ":" + String(port) }
        s += path
        if let query { s += "?" + query }
        string = s
        self.userinfo = parts.userinfo
    }

    /// `user:password` from the authority, when the link carried one.
    let userinfo: String?

    /// `scheme://host[:port]`: the unit robots.txt and per-host politeness apply to.
    public var origin: String {
        if let port { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }

    /// Path and query as sent in the request line (the site's order), which is what
    /// robots.txt rules match.
    public var pathAndQuery: String {
        if let linkedQuery { return path + "?" + linkedQuery }
        return path
    }

    /// The robots.txt location governing this URL.
    public var robotsURL: CrawlURL {
        CrawlURL(parts: URLParts(scheme: scheme, userinfo: nil, host: host, port: port,
                                 path: "/robots.txt", query: nil))
    }

    /// A copy with another path and query (already normalized), keeping scheme and authority.
    func with(host newHost: String? = nil, path newPath: String, query newQuery: String?) -> CrawlURL {
        CrawlURL(parts: URLParts(scheme: scheme, userinfo: userinfo, host: newHost ?? host,
                                 port: port, path: newPath, query: newQuery))
    }

    public var description: String { string }

    public static func < (lhs: CrawlURL, rhs: CrawlURL) -> Bool { lhs.string < rhs.string }
    public static func == (lhs: CrawlURL, rhs: CrawlURL) -> Bool { lhs.string == rhs.string }
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let url = CrawlURL(raw) else {
            throw DecodingError.dataCorruptedError(in: container,
                                                   debugDescription: "not an http(s) URL: \(raw)")
        }
        self = url
    }

    /// Encodes the request form: decoding it gives the same key and the same request.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(requestString)
    }
}

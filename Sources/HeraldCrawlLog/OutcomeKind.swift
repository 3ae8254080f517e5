/// What happened to one page or article, as logged and counted (`ok`, `http_4xx`, `duplicate`, ...).
///
/// A string-backed value rather than a closed enum so that the crawl engine can log a new kind
/// (and old logs stay readable) without a format change; the well-known kinds are constants.
public struct OutcomeKind: RawRepresentable, Hashable, Codable, Sendable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (a: OutcomeKind, b: OutcomeKind) -> Bool { a.rawValue < b.rawValue }

    public static let ok: OutcomeKind = "ok"
    public static let notModified: OutcomeKind = "not_modified"
    public static let duplicate: OutcomeKind = "duplicate"
    /// Held back as a near-copy (changed credit line, chrome, typo fix) of a delivered article;
    /// counted among the run's duplicates.
    public static let nearDuplicate: OutcomeKind = "near_duplicate"
    public static let notArticle: OutcomeKind = "not_article"
    public static let robotsDisallowed: OutcomeKind = "robots_disallowed"
    public static let http4xx: OutcomeKind = "http_4xx"
    public static let http5xx: OutcomeKind = "http_5xx"
    public static let timeout: OutcomeKind = "timeout"
    public static let tooLarge: OutcomeKind = "too_large"
    public static let redirectRefused: OutcomeKind = "redirect_refused"
    public static let parseError: OutcomeKind = "parse_error"
    public static let emptyBody: OutcomeKind = "empty_body"
    public static let spoolError: OutcomeKind = "spool_error"
    /// The state store refused a write (URL state, a delivery claim).
    public static let stateError: OutcomeKind = "state_error"
    /// robots.txt answered 4xx: the host has none, so everything is allowed (RFC 9309).
    public static let noRobots: OutcomeKind = "no_robots"
    /// A redirect to another host, queued to be fetched after that host's robots.txt.
    public static let redirected: OutcomeKind = "redirected"

    /// Kinds that are a normal result of crawling, not a failure: a page that was unchanged,
    /// already delivered, not an article, off-limits by robots.txt, or too short to deliver.
    public static let nonErrors: Set<OutcomeKind> = [
        .ok, .notModified, .duplicate, .nearDuplicate, .notArticle, .robotsDisallowed, .emptyBody, .noRobots, .redirected,
    ]

    /// Whether this outcome counts as an error (in `errors`, and in `herald logs --errors`).
    /// Any kind not known to be benign is an error, so a new failure kind is never hidden.
    public var isError: Bool { !Self.nonErrors.contains(self) }
}

import Foundation

/// A cached robots.txt answer for one origin (`scheme://host[:port]`): the HTTP status and the
/// raw text, valid until `expiresAt` (24 hours after the fetch by default, RFC 9309 §2.4).
public struct RobotsCacheEntry: Sendable, Equatable {
    /// How long a robots.txt answer is trusted.
    public static let defaultLifetime: TimeInterval = 24 * 3600

    public var origin: String
    /// The HTTP status of the robots.txt fetch (0 if unreachable).
    public var httpStatus: Int
    /// The robots.txt body as text (empty when there was none).
    public var body: String
    public var fetchedAt: Date
    public var expiresAt: Date

    public init(origin: String, httpStatus: Int, body: String, fetchedAt: Date,
                lifetime: TimeInterval = RobotsCacheEntry.defaultLifetime) {
        self.origin = origin
        self.httpStatus = httpStatus
        self.body = body
        self.fetchedAt = fetchedAt
        self.expiresAt = fetchedAt.addingTimeInterval(lifetime)
    }
}

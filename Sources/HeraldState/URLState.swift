import Foundation

/// What herald remembers about one fetched URL (normalized by the caller): when it was last
/// fetched, the HTTP validators for a conditional GET, and the content hash the page produced.
public struct URLState: Sendable, Equatable {
    /// The normalized URL; the key.
    public var url: String
    public var etag: String?
    public var lastModified: String?
    public var lastFetchedAt: Date?
    public var httpStatus: Int?
    /// The `content_hash` of the article extracted at the last fetch, if it was an article.
    public var contentHash: String?

    public init(url: String, etag: String? = nil, lastModified: String? = nil,
                lastFetchedAt: Date? = nil, httpStatus: Int? = nil, contentHash: String? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.lastFetchedAt = lastFetchedAt
        self.httpStatus = httpStatus
        self.contentHash = contentHash
    }
}

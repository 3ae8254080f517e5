/// One URL to fetch, with the validators of the copy we already have (sent as
/// `If-None-Match` / `If-Modified-Since` so an unchanged page answers 304) and extra headers.
public struct FetchRequest: Sendable, Equatable {
    /// Absolute http or https URL.
    public var url: String
    /// The `ETag` the server gave last time, sent as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` the server gave last time, sent as `If-Modified-Since`.
    public var lastModified: String?
    /// Extra request headers (name -> value), e.g. `Accept`; they override the defaults.
    public var headers: [String: String]
    /// Overrides the policy's `maxBodyBytes` for this request (e.g. for large sitemaps).
    public var maxBodyBytes: Int?

    public init(url: String, etag: String? = nil, lastModified: String? = nil,
                headers: [String: String] = [:], maxBodyBytes: Int? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
        self.maxBodyBytes = maxBodyBytes
    }
}

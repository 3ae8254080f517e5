/// One URL to fetch, with the validators of the copy we already have (sent as
/// `If-None-Match` / `If-Modified-Since` so an unchanged page answers 304) and extra headers.
public struct FetchRequest: Sendable, Equatable {
    /// What to do with one redirect of this request, given the absolute URL it points to.
    public enum RedirectDecision: Sendable, Equatable {
        /// Follow it (the fetcher's own checks still apply).
        case follow
        /// Do not follow it: answer with the redirect itself (`FetchResponse.unfollowedRedirect`),
        /// so the caller can read the target host's robots.txt first and fetch it itself.
        case handBack
        /// Refuse it: the fetch fails with this kind and message.
        case refuse(kind: String, message: String)
    }

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
    /// Asked before each redirect is followed; nil follows every redirect the fetcher allows.
    /// Not part of equality (closures cannot be compared).
    public var redirectDecision: (@Sendable (String) -> RedirectDecision)?

    public init(url: String, etag: String? = nil, lastModified: String? = nil,
                headers: [String: String] = [:], maxBodyBytes: Int? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
        self.maxBodyBytes = maxBodyBytes
    }

    public static func == (a: FetchRequest, b: FetchRequest) -> Bool {
        a.url == b.url && a.etag == b.etag && a.lastModified == b.lastModified && a.headers == b.headers
            && a.maxBodyBytes == b.maxBodyBytes
    }
}

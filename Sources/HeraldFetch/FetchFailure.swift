/// Why a fetch produced no HTTP response: a crawl-log `kind` plus a message naming the URL and
/// the cause. HTTP error statuses are not failures; they arrive as a `FetchResponse`.
///
/// Kinds: `timeout` (connect, total or low-speed limit), `too_large` (body over the limit,
/// counted decoded), `redirect_refused` (redirect to a non-http(s) URL, to a refused address,
/// a loop, or more than `maxRedirects`), `address_refused` (the requested URL itself resolves
/// to a refused address), `unsupported_scheme`, `invalid_url`, `dns_error`,
/// `connection_failed`, `connection_reset`, `truncated` (the connection closed before the body
/// its headers promised), `bad_response` (not HTTP, or a broken chunked encoding), `tls_error`,
/// `decode_error` (broken content encoding), `cancelled` (task cancelled or fetcher shut down),
/// `fetch_error` (anything else).
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public var kind: String
    public var message: String
    /// The URL the caller asked for.
    public var requestedURL: String
    /// The URL of the hop that failed (differs from `requestedURL` after redirects).
    public var url: String
    /// The URLs that redirected before the failure.
    public var redirectChain: [String]
    /// Attempts made, retries included.
    public var attempts: Int
    /// Wall-clock time of the whole fetch in milliseconds.
    public var elapsedMs: Int

    public init(kind: String, message: String, requestedURL: String, url: String,
                redirectChain: [String] = [], attempts: Int = 1, elapsedMs: Int = 0) {
        self.kind = kind
        self.message = message
        self.requestedURL = requestedURL
        self.url = url
        self.redirectChain = redirectChain
        self.attempts = attempts
        self.elapsedMs = elapsedMs
    }

    public var description: String { "\(kind): \(message)" }
}

/// What the server answered to a request, after following redirects: any HTTP status
/// (including 304, 4xx and 5xx; look at `kind`), the decoded body and the headers the rest of
/// the pipeline needs.
public struct FetchResponse: Sendable {
    /// The URL the caller asked for.
    public var requestedURL: String
    /// The URL that produced this response (after redirects).
    public var finalURL: String
    /// HTTP status code of the final hop.
    public var status: Int
    /// Response headers of the final hop; names lower-cased, repeated headers joined by ", ".
    public var headers: [String: String]
    /// The body after content decoding (gzip, deflate, brotli, zstd); empty for 304.
    public var body: [UInt8]
    /// `Content-Type` without parameters, lower-cased (e.g. `text/html`), if sent.
    public var contentType: String?
    /// The `charset` parameter of `Content-Type` as sent (e.g. `ISO-8859-1`), if any.
    public var charset: String?
    /// Validators to store for the next conditional request. On a 304 that did not repeat
    /// them, these are the request's own validators (still valid).
    public var etag: String?
    public var lastModified: String?
    /// `Retry-After` in seconds, when the server sent one.
    public var retryAfter: Double?
    /// Every URL that answered with a redirect, in order (empty without redirects).
    public var redirectChain: [String]
    /// Wall-clock time of the whole fetch in milliseconds (all hops, retries and waits).
    public var elapsedMs: Int
    /// "1.0", "1.1" or "2".
    public var httpVersion: String
    /// How many attempts were made (1 when the first attempt answered).
    public var attempts: Int
    /// The absolute URL of a redirect the request's `redirectDecision` handed back instead of
    /// following (`status` is then the redirect's 3xx); nil otherwise.
    public var unfollowedRedirect: String?

    /// Decoded body size in bytes.
    public var bytes: Int { body.count }

    /// The crawl-log outcome kind for this response: `ok` (2xx), `not_modified` (304),
    /// `http_4xx`, `http_5xx`, or `http_3xx`/`http_1xx` for statuses that are none of those.
    public var kind: String {
        switch status {
        case 200..<300: "ok"
        case 304: "not_modified"
        case 400..<500: "http_4xx"
        case 500..<600: "http_5xx"
        case 300..<400: "http_3xx"
        default: "http_\(status / 100)xx"
        }
    }

    public init(requestedURL: String, finalURL: String, status: Int, headers: [String: String],
                body: [UInt8], etag: String?, lastModified: String?, retryAfter: Double?,
                redirectChain: [String], elapsedMs: Int, httpVersion: String, attempts: Int) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.body = body
        (self.contentType, self.charset) = Self.parseContentType(headers["content-type"])
        self.etag = etag
        self.lastModified = lastModified
        self.retryAfter = retryAfter
        self.redirectChain = redirectChain
        self.elapsedMs = elapsedMs
        self.httpVersion = httpVersion
        self.attempts = attempts
    }

    /// Splits `text/html; charset="utf-8"` into its media type and charset parameter.
    static func parseContentType(_ value: String?) -> (String?, String?) {
        guard let value else { return (nil, nil) }
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        let type = parts[0].trimmingSpaces().lowercased()
        var charset: String?
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "charset" else { continue }
            var name = pair[1].trimmingSpaces()
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
            }
            if !name.isEmpty { charset = name }
        }
        return (type.isEmpty ? nil : type, charset)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }   // "\r\n" is one Character
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

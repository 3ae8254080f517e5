/// The limits and manners every fetch of one `Fetcher` obeys: identity, timeouts, size and
/// redirect limits, address safety, retries and per-host politeness. A plain value; the
/// defaults are safe for crawling the public web.
public struct FetchPolicy: Sendable, Equatable {
    /// Sent as `User-Agent` on every request (robots.txt included).
    public var userAgent: String
    /// Longest wait for the TCP/TLS connection of one hop.
    public var connectTimeout: Duration
    /// Longest time one hop (connect, request, whole body) may take.
    public var timeout: Duration
    /// A hop slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is aborted as `timeout`
    /// (libcurl counts `lowSpeedTime` in whole seconds, rounded up here).
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// Largest body accepted, counted after content decoding; larger bodies fail as `too_large`.
    public var maxBodyBytes: Int
    /// Most redirects followed for one request; one more fails as `redirect_refused`.
    public var maxRedirects: Int
    /// When false (the default) connections to loopback, private, link-local, multicast,
    /// carrier-grade NAT and reserved addresses are refused before connecting. Cloud metadata
    /// addresses (169.254.169.254 ...) are refused either way.
    public var allowPrivateNetworks: Bool
    /// The retry schedule for timeouts, connection resets, 5xx and 429.
    public var retry: RetryPolicy
    /// At most this many transfers to one host at a time (polite `fetch` only).
    public var perHostConcurrency: Int
    /// Minimum spacing between the starts of two requests to one host (polite `fetch` only).
    public var perHostDelay: Duration
    /// A PEM file of certificate authorities to trust instead of the system's (a private CA,
    /// or a test server's own certificate); nil trusts the system store.
    public var trustedCertificatesFile: String?

    public init(
        userAgent: String = "herald/0.1",
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(30),
        lowSpeedLimit: Int = 100,
        lowSpeedTime: Duration = .seconds(20),
        maxBodyBytes: Int = 10 * 1024 * 1024,
        maxRedirects: Int = 5,
        allowPrivateNetworks: Bool = false,
        retry: RetryPolicy = RetryPolicy(),
        perHostConcurrency: Int = 2,
        perHostDelay: Duration = .seconds(1),
        trustedCertificatesFile: String? = nil
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.allowPrivateNetworks = allowPrivateNetworks
        self.retry = retry
        self.perHostConcurrency = perHostConcurrency
        self.perHostDelay = perHostDelay
        self.trustedCertificatesFile = trustedCertificatesFile
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a tiny positive duration never becomes "no limit".
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return ms <= 0 ? 0 : Int(ms.rounded(.up))
    }

    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

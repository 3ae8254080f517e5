import CCurl
import Foundation

/// The only way herald talks to the network: many transfers at once on one libcurl multi
/// handle (its own thread, shared connection cache, HTTP/2 where offered), exposed as async
/// calls. Redirects are followed here, hop by hop, so each hop is checked (http/https only,
/// `maxRedirects`, no loops, the connected address screened by `RestrictedAddressRanges`).
/// Thread-safe: one `Fetcher` serves any number of concurrent tasks.
///
/// `fetch` is the polite entry point crawls use (per-host concurrency and delay through
/// `throttle`, retries through `policy.retry`); `fetchOnce` is a single attempt without either.
public final class Fetcher: Sendable {
    public let policy: FetchPolicy
    /// Per-host limits used by `fetch`; set robots.txt Crawl-delay here.
    public let throttle: HostThrottle
    private let loop: TransferLoop

    /// - Parameter maxConcurrentTransfers: transfers in flight at once over all hosts (config
    ///   `concurrency`); further requests wait in FIFO order.
    public init(policy: FetchPolicy = FetchPolicy(), maxConcurrentTransfers: Int = 16) {
        self.policy = policy
        self.throttle = HostThrottle(concurrency: policy.perHostConcurrency, delay: policy.perHostDelay)
        self.loop = TransferLoop(capacity: maxConcurrentTransfers)
    }

    deinit { loop.stop() }

    /// Aborts every running and waiting transfer (they fail as `cancelled`) and stops the
    /// loop thread. Later fetches fail as `cancelled` at once.
    public func shutdown() { loop.stop() }

    /// Fetches politely: waits for the host's turn, follows redirects, and retries timeouts,
    /// connection resets, 5xx and 429 (after `Retry-After` when given, which also pauses the
    /// host). Returns the final HTTP answer whatever its status, or why there was none.
    public func fetch(_ request: FetchRequest) async -> Result<FetchResponse, FetchFailure> {
        await run(request, polite: true)
    }

    /// One attempt with redirects, without per-host throttling or retries.
    public func fetchOnce(_ request: FetchRequest) async -> Result<FetchResponse, FetchFailure> {
        await run(request, polite: false)
    }

    private func run(_ request: FetchRequest, polite: Bool) async -> Result<FetchResponse, FetchFailure> {
        let started = ContinuousClock.now
        let retries = polite ? max(0, policy.retry.maxRetries) : 0
        var attempt = 0
        while true {
            attempt += 1
            var result = await followRedirects(request, polite: polite)
            var wait: Duration?
            switch result {
            case .success(let response):
                if let retryAfter = response.retryAfter, response.status == 429 || response.status == 503,
                   polite, let host = Self.host(of: response.finalURL) {
                    // Capped like the retry wait: an hour-long pause would stall a whole crawl run.
                    let pause = min(retryAfter, policy.retry.maxRetryAfter.seconds)
                    await throttle.pause(host: host, for: .milliseconds(Int(pause * 1000)))
                }
                if attempt <= retries, policy.retry.isRetryable(status: response.status) {
                    if let retryAfter = response.retryAfter, retryAfter > 0 {
                        wait = policy.retry.wait(retryAfter: retryAfter)
                    } else {
                        wait = policy.retry.backoff(retry: attempt)
                    }
                }
            case .failure(let failure):
                if attempt <= retries, policy.retry.isRetryable(kind: failure.kind) {
                    wait = policy.retry.backoff(retry: attempt)
                }
            }
            if let wait, !Task.isCancelled {
                try? await Task.sleep(for: wait)
                if !Task.isCancelled { continue }
            }
            let elapsed = Int((ContinuousClock.now - started).seconds * 1000)
            switch result {
            case .success(var response):
                response.attempts = attempt
                response.elapsedMs = elapsed
                result = .success(response)
            case .failure(var failure):
                failure.attempts = attempt
                failure.elapsedMs = elapsed
                result = .failure(failure)
            }
            return result
        }
    }

    private func followRedirects(_ request: FetchRequest, polite: Bool) async -> Result<FetchResponse, FetchFailure> {
        var headers = ["Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
        if let etag = request.etag { headers["If-None-Match"] = etag }
        if let lastModified = request.lastModified { headers["If-Modified-Since"] = lastModified }
        for (name, value) in request.headers {
            headers = headers.filter { $0.key.lowercased() != name.lowercased() }
            headers[name] = value
        }
        let maxBody = request.maxBodyBytes ?? policy.maxBodyBytes

        var url = request.url
        var chain: [String] = []
        var visited: Set<String> = [url]
        func failure(_ kind: String, _ message: String) -> Result<FetchResponse, FetchFailure> {
            .failure(FetchFailure(kind: kind, message: message, requestedURL: request.url,
                                  url: url, redirectChain: chain))
        }

        guard Self.isHTTP(url) else {
            return failure(Self.host(of: url) == nil && !url.contains("://") ? "invalid_url" : "unsupported_scheme",
                           "\(url): only http and https URLs are fetched")
        }
        while true {
            guard let host = Self.host(of: url) else {
                return failure("invalid_url", "\(url): no host in URL")
            }
            if polite { await throttle.acquire(host: host) }
            guard let transfer = Transfer(url: url, headers: headers, policy: policy, maxBodyBytes: maxBody) else {
                if polite { await throttle.release(host: host) }
                return failure("fetch_error", "\(url): libcurl could not create a transfer")
            }
            let hop = await loop.perform(transfer)
            if polite { await throttle.release(host: host) }

            if hop.code != 0 || hop.cancelled {
                let (kind, message) = Self.describeFailure(hop, url: url, redirected: !chain.isEmpty, maxBody: maxBody)
                return failure(kind, message)
            }
            if [301, 302, 303, 307, 308].contains(hop.status),
               let next = hop.redirectURL ?? hop.headers["location"], !next.isEmpty {
                guard chain.count < policy.maxRedirects else {
                    return failure("redirect_refused",
                                   "\(request.url): more than \(policy.maxRedirects) redirects (next: \(next))")
                }
                guard Self.isHTTP(next) else {
                    return failure("redirect_refused", "\(url) redirects to \(next): only http and https are followed")
                }
                guard !visited.contains(next) else {
                    return failure("redirect_refused", "\(url) redirects to \(next): redirect loop")
                }
                switch request.redirectDecision?(next) ?? .follow {
                case .follow:
                    break
                case .handBack:
                    // An address literal can be judged now; a name is judged when it is fetched.
                    if let host = Self.host(of: next)?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                       let bytes = RestrictedAddressRanges.parse(host),
                       let reason = RestrictedAddressRanges.refusalReason(bytes, allowPrivateNetworks: policy.allowPrivateNetworks) {
                        return failure("redirect_refused", "redirect to \(next) refused: address \(host) is not allowed (\(reason))")
                    }
                    var response = Self.response(to: request, from: url, hop, chain: chain)
                    response.unfollowedRedirect = next
                    return .success(response)
                case let .refuse(kind, message):
                    chain.append(url)
                    url = next
                    return failure(kind, message)
                }
                chain.append(url)
                visited.insert(next)
                url = next
                continue
            }
            return .success(Self.response(to: request, from: url, hop, chain: chain))
        }
    }

    private static func response(to request: FetchRequest, from url: String, _ hop: HopOutcome,
                                 chain: [String]) -> FetchResponse {
        var etag = hop.headers["etag"]
        var lastModified = hop.headers["last-modified"]
        if hop.status == 304 {
            etag = etag ?? request.etag
            lastModified = lastModified ?? request.lastModified
        }
        return FetchResponse(
            requestedURL: request.url, finalURL: url, status: hop.status, headers: hop.headers,
            body: hop.body, etag: etag, lastModified: lastModified, retryAfter: hop.retryAfter,
            redirectChain: chain, elapsedMs: 0, httpVersion: hop.httpVersion, attempts: 1)
    }

    /// Maps a libcurl error (plus what the callbacks noticed) to a crawl-log kind and message.
    static func describeFailure(_ hop: HopOutcome, url: String, redirected: Bool, maxBody: Int) -> (String, String) {
        if hop.cancelled { return ("cancelled", "\(url): \(hop.errorText)") }
        if let refused = hop.refusedAddress {
            return redirected
                ? ("redirect_refused", "redirect to \(url) refused: address \(refused) is not allowed")
                : ("address_refused", "\(url) refused: address \(refused) is not allowed")
        }
        let code = CURLcode(rawValue: UInt32(bitPattern: hop.code))
        if hop.tooLarge || code == CURLE_FILESIZE_EXCEEDED {
            return ("too_large", "\(url): body larger than \(maxBody) bytes (decoded), aborted")
        }
        let detail = "\(url): \(hop.errorText)"
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return ("timeout", detail)
        case CURLE_COULDNT_RESOLVE_HOST: return ("dns_error", detail)
        case CURLE_COULDNT_CONNECT: return ("connection_failed", detail)
        case CURLE_PARTIAL_FILE: return ("truncated", detail)
        case CURLE_WEIRD_SERVER_REPLY: return ("bad_response", detail)
        // libcurl reports a broken chunked encoding as a receive error; only its message tells
        // a server that cannot frame its answer from a connection that went away.
        case CURLE_RECV_ERROR where hop.errorText.contains("chunked-encoding"): return ("bad_response", detail)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return ("connection_reset", detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            return ("tls_error", detail)
        case CURLE_BAD_CONTENT_ENCODING: return ("decode_error", detail)
        case CURLE_UNSUPPORTED_PROTOCOL: return (redirected ? "redirect_refused" : "unsupported_scheme", detail)
        case CURLE_URL_MALFORMAT: return ("invalid_url", detail)
        default: return ("fetch_error", detail)
        }
    }

    static func isHTTP(_ url: String) -> Bool {
        let lower = url.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The lower-cased host of an absolute URL (no userinfo, no port), or nil.
    public static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        var rest = url[schemeEnd.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            rest = rest[...close]
        } else if let colon = rest.lastIndex(of: ":") {
            rest = rest[..<colon]
        }
        return rest.isEmpty ? nil : rest.lowercased()
    }
}

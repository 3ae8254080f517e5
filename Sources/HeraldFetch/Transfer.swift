import CCurl
import Foundation

/// The raw result of one HTTP exchange (one hop), as the transfer loop reports it.
struct HopOutcome: Sendable {
    var code: Int32 = 0                    // CURLcode
    var errorText = ""
    var status = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var redirectURL: String?
    var httpVersion = ""
    var retryAfter: Double?
    var refusedAddress: String?            // "<address> (<reason>)" when the connection was refused
    var tooLarge = false
    var cancelled = false
}

/// One easy handle and everything its callbacks write into. Created and configured on the
/// caller's thread, then owned by the loop thread from submission until it is finished.
/// `@unchecked Sendable` for that hand-over: a C handle and the buffers libcurl's callbacks
/// fill are used by one thread at a time, and a lock per callback would cost every body chunk.
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let maxBodyBytes: Int
    let allowPrivateNetworks: Bool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var body: [UInt8] = []
    private var headerLines: [(String, String)] = []
    private var tooLarge = false
    private var refusedAddress: String?
    var continuation: CheckedContinuation<HopOutcome, Never>?
    /// Guarded by the loop's `shared` mutex.
    var cancelRequested = false

    init?(url: String, headers: [String: String], policy: FetchPolicy, maxBodyBytes: Int) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        self.maxBodyBytes = maxBodyBytes
        self.allowPrivateNetworks = policy.allowPrivateNetworks
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let me = Unmanaged.passUnretained(self).toOpaque()
        herald_easy_setopt_string(easy, CURLOPT_URL, url)
        herald_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        herald_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        // Redirects are followed by Fetcher, hop by hop, so that every hop is checked.
        herald_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        herald_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        // An environment proxy would hide the real peer address from the address check.
        herald_easy_setopt_string(easy, CURLOPT_PROXY, "")
        herald_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        if let file = policy.trustedCertificatesFile {
            herald_easy_setopt_string(easy, CURLOPT_CAINFO, file)
        }
        herald_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")   // all this libcurl decodes
        herald_easy_setopt_string(easy, CURLOPT_USERAGENT, policy.userAgent)
        herald_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, max(1, policy.connectTimeout.wholeMilliseconds))
        herald_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, policy.timeout.wholeMilliseconds))
        herald_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, max(0, policy.lowSpeedLimit))
        herald_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME,
                                max(1, Int(policy.lowSpeedTime.seconds.rounded(.up))))
        // Refuses early when Content-Length already says too much; the write callback
        // enforces the limit on the decoded bytes.
        herald_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes))
        herald_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)

        herald_easy_setopt_write_cb(easy, CURLOPT_WRITEFUNCTION, transferWriteBody)
        herald_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        herald_easy_setopt_write_cb(easy, CURLOPT_HEADERFUNCTION, transferWriteHeader)
        herald_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        herald_easy_setopt_opensocket_cb(easy, transferOpenSocket)
        herald_easy_setopt_opensocket_data(easy, me)

        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        headerList = list
        if let list { herald_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list) }
    }

    private var closed = false

    /// Frees the easy handle. The loop calls it on its own thread right after reading the
    /// outcome, so libcurl handles are only ever cleaned up where the multi handle lives.
    func close() {
        guard !closed else { return }
        closed = true
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        headerList = nil
    }

    deinit {
        close()                                // never-submitted transfers
        errorBuffer.deallocate()
    }

    fileprivate func appendBody(_ data: UnsafeRawBufferPointer) -> Bool {
        if body.count + data.count > maxBodyBytes {
            tooLarge = true
            return false
        }
        body.append(contentsOf: data)
        return true
    }

    fileprivate func appendHeaderLine(_ data: UnsafeRawBufferPointer) {
        let line = String(decoding: data, as: UTF8.self).trimmingSpaces()
        if line.hasPrefix("HTTP/") {
            headerLines.removeAll()            // a new response (after 1xx) starts
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingSpaces().lowercased()
        let value = line[line.index(after: colon)...].trimmingSpaces()
        if !name.isEmpty { headerLines.append((name, value)) }
    }

    fileprivate func screen(_ address: [UInt8]) -> Bool {
        guard let reason = RestrictedAddressRanges.refusalReason(
            address, allowPrivateNetworks: allowPrivateNetworks) else { return true }
        refusedAddress = "\(RestrictedAddressRanges.format(address)) (\(reason))"
        return false
    }

    /// Reads everything curl knows about the finished hop. Loop thread only.
    func outcome(code: CURLcode) -> HopOutcome {
        var out = HopOutcome()
        out.code = Int32(bitPattern: code.rawValue)
        out.errorText = String(cString: errorBuffer)
        if out.errorText.isEmpty { out.errorText = String(cString: curl_easy_strerror(code)) }
        var long = 0
        herald_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &long)
        out.status = long
        long = 0
        herald_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &long)
        switch long {
        case Int(CURL_HTTP_VERSION_1_0): out.httpVersion = "1.0"
        case Int(CURL_HTTP_VERSION_1_1): out.httpVersion = "1.1"
        case Int(CURL_HTTP_VERSION_2_0): out.httpVersion = "2"
        case Int(CURL_HTTP_VERSION_3): out.httpVersion = "3"
        default: out.httpVersion = ""
        }
        var text: UnsafeMutablePointer<CChar>?
        if herald_easy_getinfo_string(easy, CURLINFO_REDIRECT_URL, &text) == CURLE_OK, let text {
            out.redirectURL = String(cString: text)
        }
        var headers: [String: String] = [:]
        for (name, value) in headerLines {
            if let old = headers[name] { headers[name] = old + ", " + value } else { headers[name] = value }
        }
        out.headers = headers
        if headers["retry-after"] != nil {
            var seconds: curl_off_t = 0
            herald_easy_getinfo_off(easy, CURLINFO_RETRY_AFTER, &seconds)
            out.retryAfter = Double(seconds)
        }
        out.body = body
        body = []
        out.tooLarge = tooLarge
        out.refusedAddress = refusedAddress
        return out
    }
}

private func transferWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    guard n > 0, let data else { return n }
    // Returning less than n makes curl abort with CURLE_WRITE_ERROR: the rest is never read.
    return transfer.appendBody(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}

private func transferWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                 _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let n = size * count
    guard n > 0, let data else { return n }
    Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        .appendHeaderLine(UnsafeRawBufferPointer(start: data, count: n))
    return n
}

/// Runs for every address curl is about to connect to, after DNS, so the check covers the
/// address actually used (DNS rebinding and redirects included) and a refused address is
/// never contacted at all.
private func transferOpenSocket(_ context: UnsafeMutableRawPointer?, _ purpose: curlsocktype,
                                _ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
    guard let context, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    var bytes = [UInt8](repeating: 0, count: 16)
    let length = Int(herald_sockaddr_ip(address, &bytes))
    guard length == 4 || length == 16 else { return CURL_SOCKET_BAD }
    guard transfer.screen(Array(bytes[0..<length])) else { return CURL_SOCKET_BAD }
    return herald_open_socket(address)
}

/// The components of a normalized absolute URL.
struct URLParts {
    var scheme: String
    var userinfo: String?
    var host: String
    var port: Int?
    var path: String
    /// The query in key form: parameters sorted by key.
    var query: String?
    /// The same parameters in the order the link had them (nil: same as `query`).
    var linkedQuery: String?
}

extension URLParts {
    /// Sets both forms of the query from a reference's raw query (nil: none).
    mutating func setQuery(_ raw: ArraySlice<UInt8>?) {
        let forms = raw.flatMap(URLParser.finishQuery)
        query = forms?.key
        linkedQuery = forms?.linked
    }
}

/// RFC 3986 reference parsing and resolution over UTF-8 bytes, with the leniency browsers show
/// towards real-world hrefs (surrounding whitespace, embedded tabs and newlines, backslashes,
/// raw spaces and non-ASCII characters, missing or extra slashes after `http:`).
enum URLParser {
    private static let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?"),
        hash = UInt8(ascii: "#"), colon = UInt8(ascii: ":"), percent = UInt8(ascii: "%"),
        at = UInt8(ascii: "@"), backslash = UInt8(ascii: "\\"), dot = UInt8(ascii: ".")

    static func parse(_ input: [UInt8], base: CrawlURL?) -> URLParts? {
        var bytes = clean(input)

        // Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any of "/?#".
        var scheme: String?
        var rest = 0
        if let first = bytes.first, isAlpha(first) {
            var i = 1
            while i < bytes.count, isSchemeChar(bytes[i]) { i += 1 }
            if i < bytes.count, bytes[i] == colon {
                scheme = String(decoding: bytes[0..<i], as: UTF8.self).lowercased()
                rest = i + 1
            }
        }
        if let s = scheme, s != "http" && s != "https" { return nil }

        // Backslashes are path separators in http(s) URLs (as browsers treat them), up to the
        // query; after that they are data.
        var i = rest
        while i < bytes.count, bytes[i] != question, bytes[i] != hash {
            if bytes[i] == backslash { bytes[i] = slash }
            i += 1
        }

        var hasAuthority = false
        if let s = scheme {
            var slashes = 0
            while rest + slashes < bytes.count, bytes[rest + slashes] == slash { slashes += 1 }
            if slashes == 0, let base, base.scheme == s {
                scheme = nil // "http:foo" against an http page is a relative reference
            } else {
                rest += slashes
                hasAuthority = true
            }
        } else if bytes.count - rest >= 2, bytes[rest] == slash, bytes[rest + 1] == slash {
            var slashes = 0
            while rest + slashes < bytes.count, bytes[rest + slashes] == slash { slashes += 1 }
            rest += slashes
            hasAuthority = true
        }

        // Split the remainder into authority, path, query (the fragment is dropped).
        var end = bytes.count
        if let h = bytes[rest...].firstIndex(of: hash) { end = h }
        var authority: ArraySlice<UInt8>?
        var pos = rest
        if hasAuthority {
            var e = pos
            while e < end, bytes[e] != slash, bytes[e] != question { e += 1 }
            authority = bytes[pos..<e]
            pos = e
        }
        var queryStart = end
        if let q = bytes[pos..<end].firstIndex(of: question) { queryStart = q }
        let refPath = bytes[pos..<queryStart]
        let refQuery: ArraySlice<UInt8>? = queryStart < end ? bytes[(queryStart + 1)..<end] : nil

        var result: URLParts
        if let authority {
            guard let auth = parseAuthority(authority, scheme: scheme ?? base?.scheme ?? "") else {
                return nil
            }
            guard let s = scheme ?? base?.scheme else { return nil }
            result = URLParts(scheme: s, userinfo: auth.userinfo, host: auth.host, port: auth.port,
                              path: "", query: nil)
            result.path = finishPath(Array(refPath))
            result.setQuery(refQuery)
        } else {
            guard let base else { return nil }
            result = URLParts(scheme: base.scheme, userinfo: base.userinfo, host: base.host,
                              port: base.port, path: base.path, query: base.query, linkedQuery: base.linkedQuery)
            if refPath.isEmpty {
                if refQuery != nil { result.setQuery(refQuery) }
            } else if refPath.first == slash {
                result.path = finishPath(Array(refPath))
                result.setQuery(refQuery)
            } else {
                // Merge: the base path up to its last slash, then the reference.
                var merged = Array(base.path.utf8)
                if let last = merged.lastIndex(of: slash) {
                    merged.removeSubrange((last + 1)...)
                } else {
                    merged = [slash]
                }
                merged.append(contentsOf: refPath)
                result.path = finishPath(merged)
                result.setQuery(refQuery)
            }
        }
        return result
    }

    /// Strips leading/trailing C0 controls and spaces, and removes tabs and newlines anywhere
    /// (an href split over lines in the HTML source is still one URL).
    private static func clean(_ input: [UInt8]) -> [UInt8] {
        var start = 0, end = input.count
        while start < end, input[start] <= 0x20 { start += 1 }
        while end > start, input[end - 1] <= 0x20 { end -= 1 }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        for b in input[start..<end] where b != 0x09 && b != 0x0A && b != 0x0D {
            out.append(b)
        }
        return out
    }

    private static func parseAuthority(_ auth: ArraySlice<UInt8>, scheme: String)
        -> (userinfo: String?, host: String, port: Int?)?
    {
        var hostPart = auth
        var userinfo: String?
        if let a = auth.lastIndex(of: at) {
            let raw = auth[auth.startIndex..<a]
            if !raw.isEmpty {
                userinfo = String(decoding: normalizePercent(raw, encode: isUserinfoEncoded), as: UTF8.self)
            }
            hostPart = auth[(a + 1)...]
        }
        var portPart: ArraySlice<UInt8>?
        var hostBytes: ArraySlice<UInt8>
        if hostPart.first == UInt8(ascii: "[") {
            guard let close = hostPart.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = hostPart[hostPart.startIndex...close]
            let after = hostPart[(close + 1)...]
            if let c = after.first {
                guard c == colon else { return nil }
                portPart = after.dropFirst()
            }
        } else if let c = hostPart.firstIndex(of: colon) {
            hostBytes = hostPart[hostPart.startIndex..<c]
            portPart = hostPart[(c + 1)...]
        } else {
            hostBytes = hostPart
        }
        guard let host = normalizeHost(hostBytes) else { return nil }
        var port: Int?
        if let portPart, !portPart.isEmpty {
            var value = 0
            for b in portPart {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
                if value > 65535 { return nil }
            }
            let defaultPort = scheme == "https" ? 443 : 80
            port = value == defaultPort ? nil : value
        }
        return (userinfo, host, port)
    }

    /// Percent-decodes, maps (UTS #46, for non-ASCII names), lower-cases and punycodes a host;
    /// nil for an empty host or one with characters no host may contain, also after mapping
    /// (a full-width solidus becomes `/`, which no host may hold).
    static func normalizeHost(_ raw: ArraySlice<UInt8>) -> String? {
        if raw.first == UInt8(ascii: "[") {
            // IPv6 literal: hex digits, colons and dots only.
            let inner = raw.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ isHex($0) || $0 == colon || $0 == dot }) else {
                return nil
            }
            return "[" + String(decoding: inner, as: UTF8.self).lowercased() + "]"
        }
        var decoded = [UInt8]()
        decoded.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            if b == percent, i + 2 < raw.endIndex, let h = hexValue(raw[i + 1]), let l = hexValue(raw[i + 2]) {
                decoded.append(h << 4 | l)
                i += 3
                continue
            }
            decoded.append(b)
            i += 1
        }
        if decoded.contains(where: { $0 >= 0x80 }) {
            guard let unicode = String(validating: decoded, as: UTF8.self) else { return nil }
            decoded = Array(IDNAMapping.map(unicode).utf8)
        }
        while decoded.last == dot { decoded.removeLast() }
        guard !decoded.isEmpty else { return nil }
        var ascii = true
        for b in decoded {
            if b >= 0x80 { ascii = false; continue }
            switch b {
            case 0...0x20, 0x7F, UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "/"), colon,
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "?"), at, UInt8(ascii: "["),
                 backslash, UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "|"),
                 UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "`"):
                return nil
            default: break
            }
        }
        if ascii {
            return String(decoding: decoded.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        guard let unicode = String(validating: decoded, as: UTF8.self) else { return nil }
        var labels: [String] = []
        for label in unicode.split(separator: ".", omittingEmptySubsequences: false) {
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                labels.append(String(label))
            } else {
                guard let encoded = Punycode.encode(String(label)) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    private static func finishPath(_ raw: [UInt8]) -> String {
        var normalized = normalizePercent(raw[...], encode: isPathEncoded)
        if normalized.first != slash { normalized.insert(slash, at: 0) }
        return String(decoding: removeDotSegments(normalized), as: UTF8.self)
    }

    /// Normalizes the query: escapes, tracking parameters removed; `key` is stably sorted by
    /// parameter name, `linked` keeps the link's order. Nil when no parameter is left.
    static func finishQuery(_ raw: ArraySlice<UInt8>) -> (key: String, linked: String)? {
        let normalized = normalizePercent(raw, encode: isQueryEncoded)
        var params: [(key: ArraySlice<UInt8>, param: ArraySlice<UInt8>, index: Int)] = []
        var index = 0
        for param in normalized.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let key = param.firstIndex(of: UInt8(ascii: "=")).map { param[param.startIndex..<$0] } ?? param
            if TrackingParameters.isTracking(key) { continue }
            params.append((key, param, index))
            index += 1
        }
        guard !params.isEmpty else { return nil }
        func joined() -> String {
            var out = [UInt8]()
            out.reserveCapacity(normalized.count)
            for (n, p) in params.enumerated() {
                if n > 0 { out.append(UInt8(ascii: "&")) }
                out.append(contentsOf: p.param)
            }
            return String(decoding: out, as: UTF8.self)
        }
        let linked = joined()
        params.sort { a, b in
            if a.key.lexicographicallyPrecedes(b.key) { return true }
            if b.key.lexicographicallyPrecedes(a.key) { return false }
            return a.index < b.index
        }
        return (joined(), linked)
    }

    /// RFC 3986 section 5.2.4 on a path that starts with `/`.
    static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        // Fast path: no "." segment at all.
        var hasDot = false
        for i in path.indices where i > 0 && path[i] == dot && path[i - 1] == slash {
            let next = i + 1 < path.count ? path[i + 1] : slash
            if next == slash || (next == dot && (i + 2 == path.count || path[i + 2] == slash)) {
                hasDot = true
                break
            }
        }
        guard hasDot else { return path }
        var segments: [ArraySlice<UInt8>] = []
        let parts = path.split(separator: slash, omittingEmptySubsequences: false).dropFirst()
        var trailingSlash = false
        for (n, seg) in parts.enumerated() {
            let isLast = n == parts.count - 1
            if seg.count == 1 && seg.first == dot {
                trailingSlash = isLast
            } else if seg.count == 2 && seg.first == dot && seg.last == dot {
                if !segments.isEmpty { segments.removeLast() }
                trailingSlash = isLast
            } else {
                segments.append(seg)
                trailingSlash = false
            }
        }
        var out: [UInt8] = []
        for seg in segments {
            out.append(slash)
            out.append(contentsOf: seg)
        }
        if trailingSlash || out.isEmpty { out.append(slash) }
        return out
    }

    /// Decodes escapes of unreserved characters, upper-cases the others, escapes a lone `%`
    /// and the bytes `encode` selects.
    static func normalizePercent(_ raw: ArraySlice<UInt8>, encode: (UInt8) -> Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(raw.count + 8)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            if b == percent {
                if i + 2 < raw.endIndex, let h = hexValue(raw[i + 1]), let l = hexValue(raw[i + 2]) {
                    let v = h << 4 | l
                    if isUnreserved(v) {
                        out.append(v)
                    } else {
                        out.append(percent)
                        out.append(hexDigit(h))
                        out.append(hexDigit(l))
                    }
                    i += 3
                    continue
                }
                out.append(contentsOf: [percent, UInt8(ascii: "2"), UInt8(ascii: "5")])
            } else if encode(b) {
                out.append(percent)
                out.append(hexDigit(b >> 4))
                out.append(hexDigit(b & 0x0F))
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        isAlpha(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == dot
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    /// Bytes never valid raw in a URL: controls, space, non-ASCII and the delimiters browsers
    /// escape anyway.
    static func isAlwaysEncoded(_ b: UInt8) -> Bool {
        switch b {
        case 0...0x20, 0x7F...0xFF: return true
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "^"), backslash:
            return true
        default: return false
        }
    }

    // Brackets are only valid around an IPv6 host; escaped elsewhere, as Foundation's URL
    // escapes them, so a URL that went through Foundation keeps the same key.
    static func isPathEncoded(_ b: UInt8) -> Bool {
        isAlwaysEncoded(b) || b == question || b == hash || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
    }
    static func isQueryEncoded(_ b: UInt8) -> Bool {
        isAlwaysEncoded(b) || b == hash || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
    }
    static func isUserinfoEncoded(_ b: UInt8) -> Bool {
        isAlwaysEncoded(b) || b == slash || b == question || b == hash || b == at
            || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
    }

    static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isSchemeChar(_ b: UInt8) -> Bool {
        isAlpha(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == dot
    }
    static func isHex(_ b: UInt8) -> Bool { hexValue(b) != nil }
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x41 + v - 10 }
}

import Foundation

/// The IP ranges a crawler must not reach unless private networks are allowed: loopback,
/// RFC 1918 private, carrier-grade NAT, link-local (which holds the 169.254.169.254 cloud
/// metadata service), unique-local IPv6 (which holds AWS's fd00:ec2::254), multicast,
/// unspecified and reserved. IPv4-mapped and NAT64 IPv6 addresses are judged by their IPv4 part.
/// Cloud metadata endpoints are refused even when private networks are allowed: no crawl
/// has a reason to read instance credentials.
public enum RestrictedAddressRanges {
    /// Why `address` (4 or 16 bytes, network order) must not be contacted, or nil if it may.
    /// With `allowPrivateNetworks` only cloud metadata addresses are refused.
    public static func refusalReason(_ address: [UInt8], allowPrivateNetworks: Bool = false) -> String? {
        if isCloudMetadata(address) { return "cloud metadata address" }
        if allowPrivateNetworks { return nil }
        switch address.count {
        case 4: return ipv4Reason(address)
        case 16: return ipv6Reason(address)
        default: return "not an IP address"
        }
    }

    /// Same as `refusalReason(_:allowPrivateNetworks:)` for text such as `10.0.0.1` or
    /// `fd00:ec2::254`; text that parses as neither IPv4 nor IPv6 gives "not an IP address".
    public static func refusalReason(_ address: String, allowPrivateNetworks: Bool = false) -> String? {
        guard let bytes = parse(address) else { return "not an IP address" }
        return refusalReason(bytes, allowPrivateNetworks: allowPrivateNetworks)
    }

    /// AWS/GCP/Azure/OpenStack 169.254.169.254, AWS ECS 169.254.170.2, Alibaba 100.100.100.200,
    /// AWS IPv6 fd00:ec2::254 (also as IPv4-mapped IPv6).
    public static func isCloudMetadata(_ a: [UInt8]) -> Bool {
        if a.count == 16 {
            if a == [0xfd, 0x00, 0x0e, 0xc2] + [UInt8](repeating: 0, count: 10) + [0x02, 0x54] { return true }
            if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xff && a[11] == 0xff {
                return isCloudMetadata(Array(a[12..<16]))
            }
            return false
        }
        return a == [169, 254, 169, 254] || a == [169, 254, 170, 2] || a == [100, 100, 100, 200]
    }

    private static func ipv4Reason(_ a: [UInt8]) -> String? {
        switch (a[0], a[1]) {
        case (169, 254) where a[2] == 169 && a[3] == 254: return "cloud metadata address"
        case (0, _): return "unspecified address"
        case (10, _): return "private address"
        case (100, 64...127): return "carrier-grade NAT address"
        case (127, _): return "loopback address"
        case (169, 254): return "link-local address"
        case (172, 16...31): return "private address"
        case (192, 0) where a[2] == 0: return "IETF protocol address"
        case (192, 168): return "private address"
        case (198, 18...19): return "benchmarking address"
        case (224...239, _): return "multicast address"
        case (240...255, _): return "reserved address"
        default: return nil
        }
    }

    private static func ipv6Reason(_ a: [UInt8]) -> String? {
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xff && a[11] == 0xff {
            return ipv4Reason(Array(a[12..<16]))                   // ::ffff:a.b.c.d
        }
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b
            && a[4..<12].allSatisfy({ $0 == 0 }) {
            return ipv4Reason(Array(a[12..<16]))                   // 64:ff9b::/96 NAT64
        }
        if a[0..<15].allSatisfy({ $0 == 0 }) {
            return a[15] == 1 ? "loopback address" : "unspecified address"
        }
        if a[0..<12].allSatisfy({ $0 == 0 }) { return "IPv4-compatible address" }
        if a[0] == 0xfd && a[1] == 0x00 && a[2] == 0x0e && a[3] == 0xc2 {
            return "cloud metadata address"                        // fd00:ec2::/32
        }
        if a[0] & 0xfe == 0xfc { return "unique-local address" }  // fc00::/7
        if a[0] == 0xfe && a[1] & 0xc0 == 0x80 { return "link-local address" }  // fe80::/10
        if a[0] == 0xfe && a[1] & 0xc0 == 0xc0 { return "site-local address" }  // fec0::/10
        if a[0] == 0xff { return "multicast address" }
        if a[0] == 0x01 && a[1] == 0x00 && a[2..<8].allSatisfy({ $0 == 0 }) {
            return "discard address"                               // 100::/64
        }
        return nil
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an IPv4 tail).
    static func parse(_ text: String) -> [UInt8]? {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if !text.contains(":") { return parseIPv4(text) }
        var head: [UInt8] = [], tail: [UInt8] = []
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if allowIPv4, i == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(String(piece)) else { return nil }
                    out += v4
                } else {
                    guard (1...4).contains(piece.count), let v = UInt16(piece, radix: 16) else { return nil }
                    out += [UInt8(v >> 8), UInt8(v & 0xff)]
                }
            }
            return out
        }
        guard let h = groups(halves[0], allowIPv4: halves.count == 1) else { return nil }
        head = h
        if halves.count == 2 {
            guard let t = groups(halves[1], allowIPv4: true) else { return nil }
            tail = t
            guard head.count + tail.count <= 14 else { return nil }
            return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
        }
        return head.count == 16 ? head : nil
    }

    private static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let v = UInt8(part) else { return nil }
            out.append(v)
        }
        return out
    }

    /// Formats 4 or 16 address bytes for messages.
    static func format(_ a: [UInt8]) -> String {
        if a.count == 4 { return a.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        for i in stride(from: 0, to: a.count, by: 2) {
            groups.append(String(UInt16(a[i]) << 8 | UInt16(a[i + 1]), radix: 16))
        }
        return groups.joined(separator: ":")
    }
}

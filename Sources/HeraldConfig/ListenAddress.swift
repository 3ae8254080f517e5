#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HeraldFormats

/// A TCP address to listen on, written `host:port`: an IPv4 literal (`127.0.0.1:9464`) or a
/// bracketed IPv6 literal (`[::1]:9464`). Host names are refused on purpose: what a name
/// resolves to can change under a running daemon, and a metrics port bound to an address
/// other than the intended one is an exposure, not a convenience. Port 0 asks the kernel for
/// a free port (tests); the bound port is what the listener reports.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address literal without brackets (`127.0.0.1`, `::1`).
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; the error says what is wrong with the text.
    public init(parsing text: String) throws(ValueSyntaxError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]"),
                  trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                throw ValueSyntaxError("\"\(trimmed)\": an IPv6 address is written [address]:port, e.g. [::1]:9464")
            }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            portPart = trimmed[trimmed.index(close, offsetBy: 2)...]
            guard Self.isLiteral(hostPart, family: AF_INET6) else {
                throw ValueSyntaxError("\"\(trimmed)\": \"\(hostPart)\" is not an IPv6 address")
            }
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else {
                throw ValueSyntaxError("\"\(trimmed)\" is not host:port (e.g. 127.0.0.1:9464, [::1]:9464)")
            }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") {
                throw ValueSyntaxError("\"\(trimmed)\": an IPv6 address is written in brackets, e.g. [::1]:9464")
            }
            guard Self.isLiteral(hostPart, family: AF_INET) else {
                throw ValueSyntaxError("\"\(trimmed)\": \"\(hostPart)\" is not an IPv4 address (a host name is not accepted: write the address to listen on, e.g. 127.0.0.1)")
            }
        }
        guard !portPart.isEmpty, portPart.allSatisfy(\.isASCII), portPart.allSatisfy(\.isNumber),
              let port = Int(portPart), port <= 65535 else {
            throw ValueSyntaxError("\"\(trimmed)\": the port must be a number from 0 to 65535, not \"\(portPart)\"")
        }
        self.host = String(hostPart)
        self.port = port
    }

    /// `127.0.0.1:9464`, `[::1]:9464`: the form `init(parsing:)` reads.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func isLiteral(_ text: Substring, family: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, String(text), &buffer) == 1
    }
}

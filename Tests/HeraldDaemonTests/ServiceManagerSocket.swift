import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plays systemd's side of sd_notify in tests: a bound AF_UNIX datagram socket that collects
/// the messages a `ServiceNotifier` sends.
final class ServiceManagerSocket: Sendable {
    let address: String
    private let fd: Int32

    /// Binds a socket at `path`; a path starting with `@` binds in the abstract namespace.
    init(address: String) throws {
        self.address = address
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(fd)
        if !address.hasPrefix("@") { unlink(address) }
    }

    /// The datagrams already queued, without waiting (for draining after the sender exited).
    func queued() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var messages: [String] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard n >= 0 else { return messages }
            messages.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
    }

    /// The next datagram, or nil after 15 seconds of silence. Polls without blocking so
    /// that waiting does not hold a thread of the (small) cooperative pool.
    func receive() async -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Generous: on a loaded 2-core CI machine the sender task may wait seconds for a thread.
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n >= 0 { return String(decoding: buffer[0..<n], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
}

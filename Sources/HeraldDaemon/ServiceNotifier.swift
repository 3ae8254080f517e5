import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's notification protocol (sd_notify) without libsystemd: each state change is
/// one datagram of `KEY=VALUE` lines to the AF_UNIX socket named by `$NOTIFY_SOCKET`.
///
/// Without `$NOTIFY_SOCKET` (started by hand, or not as `Type=notify`) every call is a no-op, so
/// callers never check. Sending never blocks (a full manager queue drops the message). A value
/// type holding only the address; safe to share between tasks.
public struct ServiceNotifier: Sendable {
    /// The socket address from `$NOTIFY_SOCKET`; nil when notifications are off.
    public let socketPath: String?
    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC`, the margin systemd recommends.
    /// Nil when the unit has no `WatchdogSec=` (or `$WATCHDOG_PID` names another process).
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        var interval: Duration?
        if path != nil, let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 {
            let forUs = environment["WATCHDOG_PID"].flatMap(Int32.init).map {
                $0 == ProcessInfo.processInfo.processIdentifier
            } ?? true
            if forUs { interval = .microseconds(Int64(usec / 2)) }
        }
        watchdogInterval = interval
    }

    /// Whether messages go anywhere.
    public var isEnabled: Bool { socketPath != nil }

    /// Start-up is complete (`READY=1`), optionally with a status line; also sent after a reload.
    public func ready(status: String? = nil) throws {
        try send(["READY=1"] + (status.map { ["STATUS=\(Self.oneLine($0))"] } ?? []))
    }

    /// A free-form status line for `systemctl status` (`STATUS=...`).
    public func status(_ text: String) throws {
        try send(["STATUS=\(Self.oneLine(text))"])
    }

    /// Keep-alive for `WatchdogSec=` (`WATCHDOG=1`).
    public func watchdog() throws {
        try send(["WATCHDOG=1"])
    }

    /// A reload (SIGHUP) has begun (`RELOADING=1`); send `ready()` when it is done. The
    /// monotonic timestamp is what systemd 253+ requires with it; 252 ignores it.
    public func reloading() throws {
        try send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// Shutdown has begun (`STOPPING=1`).
    public func stopping() throws {
        try send(["STOPPING=1"])
    }

    /// Sends `WATCHDOG=1` every `watchdogInterval` until the calling task is cancelled; returns
    /// at once when the unit has no watchdog.
    public func keepAlive() async {
        guard let interval = watchdogInterval else { return }
        while !Task.isCancelled {
            try? watchdog()
            try? await Task.sleep(for: interval)
        }
    }

    /// Sends one message of `KEY=VALUE` assignments.
    public func send(_ assignments: [String]) throws {
        guard let socketPath else { return }
        let message = Array(assignments.joined(separator: "\n").utf8)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NotifyError(path: socketPath, call: "socket", code: errno) }
        defer { close(fd) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // `@name` is Linux's abstract namespace: a leading NUL byte and no terminator.
        var pathBytes = Array(socketPath.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw NotifyError(path: socketPath, call: "address", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let length = socklen_t(pathOffset + pathBytes.count + (abstract ? 0 : 1))
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { bytes in
                    // Never wait: a manager that stopped reading (its queue holds only a few
                    // datagrams) must not stall the daemon; the message is dropped instead.
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), sa, length)
                }
            }
        }
        guard sent == message.count else {
            throw NotifyError(path: socketPath, call: "sendto", code: errno)
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}

/// A notification that could not be delivered to the service manager.
public struct NotifyError: Error, CustomStringConvertible {
    public let path: String
    public let call: String
    public let code: Int32

    public var description: String {
        "sd_notify to \(path): \(call) failed: \(String(cString: strerror(code)))"
    }
}

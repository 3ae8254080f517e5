import Foundation
import HeraldFiles
import Synchronization
#if os(Linux)
import Glibc
#else
#error("herald is for Linux only: Glibc, /proc, epoll, systemd")
#endif

/// Why the control socket could not be served or reached.
public enum ControlSocketError: Error, CustomStringConvertible, Equatable {
    case pathTooLong(String)
    case alreadyServed(String)
    case system(String, Int32)
    case notRunning(String)

    public var description: String {
        switch self {
        case .pathTooLong(let p): return "control socket path too long (max 107 bytes): \(p)"
        case .alreadyServed(let p): return "another daemon is already serving \(p)"
        case .system(let what, let e): return "\(what): \(String(cString: strerror(e)))"
        case .notRunning(let p): return "no daemon is listening on \(p)"
        }
    }
}

/// Writes reply lines to one control connection. Thread-safe: lines from concurrent senders
/// never interleave. A write to a client that went away, or that has not read for
/// `ControlServer.clientTimeout`, is dropped along with the client (the daemon never dies of,
/// nor waits forever on, a vanished client).
public final class ControlReply: Sendable {
    private let fd: Int32
    /// Whether the client still takes lines; held across a write so lines stay whole.
    private let open = Mutex(true)

    init(fd: Int32) { self.fd = fd }

    /// Sends one response line; returns false once the client is gone.
    @discardableResult
    public func send(_ response: ControlResponse) -> Bool {
        let data = response.line()
        return open.withLock { isOpen in
            guard isOpen else { return false }
            isOpen = data.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if n < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += n
                }
                return true
            }
            return isOpen
        }
    }
}

/// The daemon's end of the control socket: a Unix stream socket (mode 0660) taking one JSON
/// request per connection and answering with JSON lines until the handler returns.
///
/// One accept task serves every connection as a child task running the async handler, so a slow
/// or malicious client holds up nobody else and occupies no thread while it is silent; requests
/// that are not a `ControlRequest` get an `error` line, never a crash. Thread-safe.
public final class ControlServer: Sendable {
    public typealias Handler = @Sendable (ControlRequest, ControlReply) async -> Void

    public let path: String
    /// Finishing it ends the accept task.
    private let stopListening: AsyncStream<Void>.Continuation
    private let stopped = Mutex(false)

    /// Largest request line accepted; anything longer is refused as malformed.
    static let maxRequestBytes = 64 * 1024
    /// How long a client may take to send its request, or to take a reply line.
    static let clientTimeout = 10
    private static let queue = DispatchQueue(label: "herald-control")

    /// Binds and listens at `path`. A stale socket file (nobody answering) is replaced; a live
    /// one means another daemon runs and is an error.
    public init(path: String, handler: @escaping Handler) throws {
        self.path = path
        var addr = try ControlServer.address(path)
        if FileManager.default.fileExists(atPath: path) {
            do {
                close(try ControlClient.connect(path: path))
                throw ControlSocketError.alreadyServed(path)
            } catch ControlSocketError.notRunning {
                unlink(path)  // stale: left by a daemon that was killed
            }
        }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw ControlSocketError.system("socket", errno) }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw ControlSocketError.system("bind \(path)", e)
        }
        chmod(path, 0o660)
        guard listen(fd, 64) == 0 else {
            let e = errno
            close(fd)
            throw ControlSocketError.system("listen \(path)", e)
        }
        let pending = Readiness(fd)
        stopListening = pending.end
        Task { await Self.accept(on: fd, pending: pending, handler: handler) }
    }

    /// Stops accepting connections and removes the socket file. In-flight connections finish.
    public func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        stopListening.finish()
        unlink(path)
    }

    deinit { stop() }

    /// When a descriptor has bytes (or a connection) to read, from libdispatch (epoll
    /// underneath), so that no thread waits on it.
    private struct Readiness {
        /// An element whenever the descriptor is readable (level-triggered).
        let events: AsyncStream<Void>
        /// Ends `events` early (a stop, a timeout); callable from anywhere.
        let end: AsyncStream<Void>.Continuation
        private let source: any DispatchSourceRead

        init(_ fd: Int32) {
            (events, end) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: ControlServer.queue)
            source.setEventHandler { [end] in end.yield() }
            source.resume()
        }

        /// Stops watching; returns once libdispatch has let go of the descriptor, which may
        /// then be closed.
        func release() async {
            await withCheckedContinuation { released in
                source.setCancelHandler { released.resume() }
                source.cancel()
            }
        }
    }

    /// The accept task: takes every pending connection each time the socket is readable, until
    /// `stop()`, then waits for the connections in flight.
    private static func accept(on fd: Int32, pending: Readiness, handler: @escaping Handler) async {
        await withDiscardingTaskGroup { connections in
            for await _ in pending.events {
                // Level-triggered: a connection left pending (EINTR) wakes the loop again.
                while true {
                    let client = Glibc.accept(fd, nil, nil)
                    guard client >= 0 else { break }
                    _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                    connections.addTask { await serve(client, handler: handler) }
                }
            }
            await pending.release()
            close(fd)
        }
    }

    private static func serve(_ fd: Int32, handler: Handler) async {
        defer { close(fd) }
        var timeout = timeval(tv_sec: clientTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let reply = ControlReply(fd: fd)
        do {
            guard let line = await readLine(fd) else { throw ControlProtocolError.noRequest }
            await handler(try ControlRequest(line: line), reply)
        } catch {
            reply.send(.error(.init("\(error)")))
        }
    }

    /// The request line, read as bytes arrive, without holding a thread while the client is
    /// silent; nil when the client sends nothing, hangs up, sends more than `maxRequestBytes`
    /// or takes longer than `clientTimeout`. Not a `LineReader`: one request ends at the first
    /// newline, an empty one too (it is answered with an error), and nothing after it is read.
    static func readLine(_ fd: Int32) async -> Data? {
        let arrivals = Readiness(fd)
        queue.asyncAfter(deadline: .now() + .seconds(clientTimeout)) { [end = arrivals.end] in end.finish() }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        var line: Data?
        reading: for await _ in arrivals.events {
            while buffer.count <= maxRequestBytes {
                let n = recv(fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { continue reading }
                if n <= 0 {
                    line = buffer.isEmpty ? nil : buffer
                    break reading
                }
                if let nl = chunk[0..<n].firstIndex(of: 0x0a) {
                    line = buffer + chunk[0..<nl]
                    break reading
                }
                buffer.append(contentsOf: chunk[0..<n])
            }
            break
        }
        await arrivals.release()
        return line
    }

    static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw ControlSocketError.pathTooLong(path) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return addr
    }
}

/// The command-line end of the control socket: sends one request and reads reply lines.
public enum ControlClient {
    /// Connects; throws `notRunning` when nothing listens at `path`, `system` for other failures
    /// (a socket this user may not open).
    public static func connect(path: String) throws -> Int32 {
        var addr = try ControlServer.address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlSocketError.system("socket", errno) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            // Nobody listening (or no socket file) means no daemon; anything else, such as a
            // socket we may not use (EACCES), is an error of its own.
            if code == ECONNREFUSED || code == ENOENT { throw ControlSocketError.notRunning(path) }
            throw ControlSocketError.system("connect to \(path)", code)
        }
        return fd
    }

    /// Runs blocking client code, such as `exchange`, on a thread of its own for an async
    /// caller: its reads must not hold a thread of the small cooperative pool.
    public static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    /// Sends `request` and calls `onResponse` with each reply until the daemon closes the
    /// connection or `onResponse` returns false; lines this build cannot read are skipped. With
    /// `timeout`, a daemon silent for that long ends the exchange with
    /// `ControlSocketError.system("recv", EAGAIN)`. Blocking: call it off the cooperative pool.
    public static func exchange(path: String, request: ControlRequest, timeout: Duration? = nil,
                                onResponse: (ControlResponse) -> Bool) throws {
        let fd = try connect(path: path)
        defer { close(fd) }
        if let timeout {
            let micros = timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000
            var value = timeval(tv_sec: Int(micros / 1_000_000), tv_usec: Int(micros % 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        }
        var data = try JSONEncoder().encode(request)
        data.append(0x0a)
        let sent = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == data.count else { throw ControlSocketError.system("send", errno) }
        // An unterminated rest at the end is a reply cut short: it is dropped, never fed as final.
        var reader = LineReader()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw ControlSocketError.system("recv from \(path)", errno)
            }
            if n <= 0 { break }
            for line in reader.feed(Data(chunk[0..<n]), final: false) {
                if let response = try? ControlResponse(line: line), !onResponse(response) { return }
            }
        }
    }
}

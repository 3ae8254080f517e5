import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request to the daemon over its control socket: one JSON object on one line.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// `status`, `crawl` or `ping`.
    public var op: String
    /// For `crawl`: the crawl's name (a file in crawls_dir) or a path to a definition.
    public var crawl: String?
    /// For `crawl`: an upper bound on pages for this run only.
    public var maxPages: Int?

    public init(op: String, crawl: String? = nil, maxPages: Int? = nil) {
        self.op = op
        self.crawl = crawl
        self.maxPages = maxPages
    }

    enum CodingKeys: String, CodingKey {
        case op, crawl
        case maxPages = "max_pages"
    }
}

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

/// Writes reply lines to one control connection. Thread-safe; a write to a client that went
/// away is dropped (the daemon never dies of a vanished client).
public final class ControlReply: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var open = true

    init(fd: Int32) { self.fd = fd }

    /// Sends one JSON object as one line; returns false once the client is gone.
    @discardableResult
    public func send(_ object: [String: Any]) -> Bool {
        guard JSONSerialization.isValidJSONObject(object),
              var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return false }
        data.append(0x0a)
        return sendRaw(data)
    }

    /// Sends an already-encoded JSON line (a trailing newline is added).
    @discardableResult
    public func sendLine(_ line: Data) -> Bool {
        var data = line
        if data.last != 0x0a { data.append(0x0a) }
        return sendRaw(data)
    }

    private func sendRaw(_ data: Data) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard open else { return false }
        let ok = data.withUnsafeBytes { raw -> Bool in
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
        if !ok { open = false }
        return ok
    }

    /// True while the client has not hung up (a peek, never consuming data).
    public var isConnected: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard open else { return false }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 0) > 0 {
            if pfd.revents & Int16(POLLHUP | POLLERR) != 0 { open = false; return false }
            var byte: UInt8 = 0
            if recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0 { open = false; return false }
        }
        return true
    }
}

/// The daemon's end of the control socket: a Unix stream socket (mode 0660) taking one JSON
/// request per connection and answering with JSON lines until the handler returns.
///
/// Each connection is served on its own thread, so a slow or malicious client holds up nobody
/// else; malformed requests get an `error` line, never a crash. Thread-safe.
public final class ControlServer: @unchecked Sendable {
    public typealias Handler = @Sendable (ControlRequest, ControlReply) async -> Void

    public let path: String
    private let listenFD: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false

    /// Largest request line accepted; anything longer is refused as malformed.
    static let maxRequestBytes = 64 * 1024

    /// Binds and listens at `path`. A stale socket file (nobody answering) is replaced; a live
    /// one means another daemon runs and is an error.
    public init(path: String, handler: @escaping Handler) throws {
        self.path = path
        self.handler = handler
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
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
        listenFD = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "herald-control"
        thread.start()
    }

    /// Stops accepting connections and removes the socket file. In-flight connections finish.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        unlink(path)
    }

    deinit { stop() }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop() {
        while !isStopped {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let thread = Thread { [self] in serve(client) }
            thread.name = "herald-control-conn"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let reply = ControlReply(fd: fd)
        guard let line = ControlServer.readLine(fd) else {
            reply.send(["type": "error", "message": "no request received (send one JSON object and a newline)"])
            return
        }
        let request: ControlRequest
        do {
            request = try JSONDecoder().decode(ControlRequest.self, from: line)
        } catch {
            reply.send(["type": "error", "message": "malformed request: expected {\"op\": \"status\"|\"crawl\"|\"ping\", ...}"])
            return
        }
        let done = DispatchSemaphore(value: 0)
        let handler = self.handler
        Task {
            await handler(request, reply)
            done.signal()
        }
        done.wait()
    }

    static func readLine(_ fd: Int32) -> Data? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while buffer.count <= maxRequestBytes {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return buffer.isEmpty ? nil : buffer }
            if let nl = chunk[0..<n].firstIndex(of: 0x0a) {
                buffer.append(contentsOf: chunk[0..<nl])
                return buffer
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
        return nil
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

    /// Sends `request` and calls `onLine` with each reply object until the daemon closes the
    /// connection or `onLine` returns false. With `timeout`, a daemon silent for that long
    /// ends the exchange with `ControlSocketError.system("recv", EAGAIN)`.
    public static func exchange(path: String, request: ControlRequest, timeout: Duration? = nil,
                                onLine: ([String: Any]) -> Bool) throws {
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
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw ControlSocketError.system("recv from \(path)", errno)
            }
            if n <= 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            while let nl = pending.firstIndex(of: 0x0a) {
                let line = pending[pending.startIndex..<nl]
                pending = Data(pending[(nl + 1)...])
                if let obj = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] {
                    if !onLine(obj) { return }
                }
            }
        }
    }
}

import Foundation
import HeraldCrawlLog
import HeraldTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import HeraldDaemon

/// Runs blocking socket code on its own thread: the server's handlers need the cooperative pool,
/// which a test blocking in recv() on a 2-core machine could otherwise exhaust.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { cont in
        Thread { cont.resume(with: Result { try body() }) }.start()
    }
}

/// Sends a request and collects the replies.
func exchange(_ path: String, _ request: ControlRequest) async throws -> [ControlResponse] {
    try await offPool {
        var responses: [ControlResponse] = []
        try ControlClient.exchange(path: path, request: request) {
            responses.append($0)
            return true
        }
        return responses
    }
}

/// Sends a request and collects the replies' `type` fields.
func exchangeTypes(_ path: String, _ request: ControlRequest) async throws -> [String] {
    try await exchange(path, request).map(\.kind.rawValue)
}

/// Sends raw bytes as a request, then reads the first reply line (nil if it is not one).
func sendRaw(_ path: String, _ request: String) async throws -> ControlResponse? {
    let text = try await offPool { () throws -> String in
        let fd = try ControlClient.connect(path: path)
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_WR))
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        close(fd)
        return String(decoding: buf[0..<max(n, 0)], as: UTF8.self)
    }
    return try? ControlResponse(line: Data(text.utf8.prefix { $0 != 0x0a }))
}

@Suite("Control socket")
struct ControlSocketTests {
    func socketPath() -> String {
        TestPaths.temporaryDirectory("ctl").appendingPathComponent("herald.sock").path
    }

    @Test("a request is answered line by line, and the socket is mode 0660")
    func requestAndReplies() async throws {
        let path = socketPath()
        let server = try ControlServer(path: path) { request, reply in
            guard case .crawl(let name, let maxPages) = request else { return }
            reply.send(.accepted(.init(crawl: name, pid: 7, message: "max \(maxPages ?? 0)")))
            for i in 1...3 {
                reply.send(.progress(RunProgress(runID: "r", pages: i, new: 0, duplicates: 0, errors: 0, line: "\(i) pages")))
            }
            reply.send(.end(RunReport(outcome: .ok, runID: "r", exitStatus: 0, summary: "done", pages: 3)))
        }
        defer { server.stop() }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let replies = try await exchange(path, .crawl("lbci", maxPages: 5))
        #expect(replies.map(\.kind) == [.accepted, .progress, .progress, .progress, .end])
        #expect(replies.first == .accepted(.init(crawl: "lbci", pid: 7, message: "max 5")))
        #expect(replies.last == .end(RunReport(outcome: .ok, runID: "r", exitStatus: 0, summary: "done", pages: 3)))
    }

    @Test("malformed requests get an error line and the server keeps serving")
    func malformed() async throws {
        let path = socketPath()
        let server = try ControlServer(path: path) { _, reply in reply.send(.pong(pid: 1)) }
        defer { server.stop() }
        for garbage in ["not json\n", "{\"nope\": 1}\n", "{\"op\": \"explode\"}\n", "",
                        String(repeating: "x", count: 100_000)] {
            let reply = try await sendRaw(path, garbage)
            #expect(reply?.kind == .error, "reply to \(garbage.prefix(20)): \(String(describing: reply))")
        }
        #expect(try await exchangeTypes(path, .ping) == ["pong"])
    }

    @Test("a request of a protocol version the daemon does not speak gets an error line naming it")
    func unknownVersion() async throws {
        let path = socketPath()
        let server = try ControlServer(path: path) { _, reply in reply.send(.pong(pid: 1)) }
        defer { server.stop() }
        let reply = try await sendRaw(path, "{\"version\": 2, \"op\": \"ping\"}\n")
        #expect(reply == .error(.init("unsupported control protocol version 2 (this daemon speaks 1)")))
        // The version this build sends, and an unversioned request (read as version 1), are served.
        #expect(try await sendRaw(path, "{\"version\": 1, \"op\": \"ping\"}\n") == .pong(pid: 1))
        #expect(try await sendRaw(path, "{\"op\": \"ping\"}\n") == .pong(pid: 1))
    }

    @Test("a second server on a live socket is refused; a stale socket file is replaced")
    func singleOwner() async throws {
        let path = socketPath()
        let first = try ControlServer(path: path) { _, reply in reply.send(.pong(pid: 1)) }
        #expect(throws: ControlSocketError.alreadyServed(path)) {
            _ = try ControlServer(path: path) { _, _ in }
        }
        first.stop()
        // Leave a stale file behind, as a daemon killed with SIGKILL would.
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let second = try ControlServer(path: path) { _, reply in reply.send(.pong(pid: 1)) }
        defer { second.stop() }
        #expect(try await exchangeTypes(path, .ping) == ["pong"])
    }

    @Test("a client with no daemon gets notRunning")
    func notRunning() {
        let path = socketPath()
        #expect(throws: ControlSocketError.notRunning(path)) {
            _ = try ControlClient.connect(path: path)
        }
    }
}

import Foundation
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

/// Sends a request and collects the reply lines' `type` fields (and the first line whole).
func exchangeTypes(_ path: String, _ request: ControlRequest) async throws -> [String] {
    try await offPool {
        var types: [String] = []
        try ControlClient.exchange(path: path, request: request) {
            types.append(($0["type"] as? String) ?? "?")
            if let crawl = $0["crawl"] as? String { types.append("crawl=\(crawl)") }
            return true
        }
        return types
    }
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
            reply.send(["type": "ack", "op": request.op, "crawl": request.crawl ?? ""])
            for i in 1...3 { reply.send(["type": "event", "n": i]) }
            reply.send(["type": "end"])
        }
        defer { server.stop() }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let types = try await exchangeTypes(path, ControlRequest(op: "crawl", crawl: "lbci"))
        #expect(types == ["ack", "crawl=lbci", "event", "event", "event", "end"])
    }

    @Test("malformed requests get an error line and the server keeps serving")
    func malformed() async throws {
        let path = socketPath()
        let server = try ControlServer(path: path) { _, reply in reply.send(["type": "pong"]) }
        defer { server.stop() }
        for garbage in ["not json\n", "{\"nope\": 1}\n", String(repeating: "x", count: 100_000)] {
            let text = try await offPool { () throws -> String in
                let fd = try ControlClient.connect(path: path)
                _ = garbage.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                shutdown(fd, Int32(SHUT_WR))
                var buf = [UInt8](repeating: 0, count: 4096)
                let n = recv(fd, &buf, buf.count, 0)
                close(fd)
                return String(decoding: buf[0..<max(n, 0)], as: UTF8.self)
            }
            #expect(text.contains("\"type\":\"error\""), "reply to \(garbage.prefix(20)): \(text)")
        }
        #expect(try await exchangeTypes(path, ControlRequest(op: "ping")) == ["pong"])
    }

    @Test("a second server on a live socket is refused; a stale socket file is replaced")
    func singleOwner() async throws {
        let path = socketPath()
        let first = try ControlServer(path: path) { _, reply in reply.send(["type": "pong"]) }
        #expect(throws: ControlSocketError.alreadyServed(path)) {
            _ = try ControlServer(path: path) { _, _ in }
        }
        first.stop()
        // Leave a stale file behind, as a daemon killed with SIGKILL would.
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let second = try ControlServer(path: path) { _, reply in reply.send(["type": "pong"]) }
        defer { second.stop() }
        #expect(try await exchangeTypes(path, ControlRequest(op: "ping")) == ["pong"])
    }

    @Test("a client with no daemon gets notRunning")
    func notRunning() {
        let path = socketPath()
        #expect(throws: ControlSocketError.notRunning(path)) {
            _ = try ControlClient.connect(path: path)
        }
    }
}

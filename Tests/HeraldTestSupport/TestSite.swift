import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local test web site (`Resources/testsite.py`) running as a child process on 127.0.0.1
/// and an ephemeral port: files from an optional root directory plus scripted fault routes
/// (listed at the top of the script). Every request it sees is logged, so tests can assert what
/// actually went over the wire. The server stops on `stop()`, on deinit, and by itself when the
/// test process dies (it exits when its stdin closes). Thread-safe. Its async API never blocks
/// the cooperative thread pool (which has only as many threads as cores).
public final class TestSite: Sendable {
    public let port: Int
    /// `https` when started with `tls: true` (self-signed certificate), else `http`.
    public let scheme: String
    public let logFile: URL
    private let server: ChildProcess

    public enum StartError: Error, CustomStringConvertible {
        case scriptMissing(String)
        case noPort(String)
        public var description: String {
            switch self {
            case .scriptMissing(let path): "test site script not found at \(path)"
            case .noPort(let output): "test site did not print its port (got: \(output))"
            }
        }
    }

    /// Starts a server; `root` is served as files (nil: only the scripted routes); `tls` makes
    /// it HTTPS with a self-signed certificate no client should trust. Returns once it listens.
    public static func start(root: URL? = nil, tls: Bool = false) async throws -> TestSite {
        let script = Self.scriptURL
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw StartError.scriptMissing(script.path)
        }
        let directory = TestPaths.temporaryDirectory("herald-testsite")
        let logFile = directory.appendingPathComponent("requests.jsonl")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        var arguments = ["python3", script.path, "--log", logFile.path]
        if let root { arguments += ["--root", root.path] }
        if tls { arguments.append("--tls") }
        // stdin stays open: the script exits when it closes, so the server dies with the tests.
        let server = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, in: directory, input: .open)
        guard let line = await server.line(in: .stdout, where: { Int($0) != nil }), let port = Int(line) else {
            server.killNow()
            throw StartError.noPort(server.stdout + server.stderr)
        }
        return TestSite(port: port, scheme: tls ? "https" : "http", logFile: logFile, server: server)
    }

    private init(port: Int, scheme: String, logFile: URL, server: ChildProcess) {
        self.port = port
        self.scheme = scheme
        self.logFile = logFile
        self.server = server
    }

    deinit { stop() }

    /// Where the script lives: the copied bundle resource, else the source tree.
    static var scriptURL: URL {
        if let resources = Bundle.module.resourceURL {
            let bundled = resources.appendingPathComponent("Resources/testsite.py")
            if FileManager.default.fileExists(atPath: bundled.path) { return bundled }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/testsite.py")
    }

    /// An absolute URL on this site; `host` may be `localhost` to look like a second host.
    public func url(_ path: String, host: String = "127.0.0.1") -> String {
        "\(scheme)://\(host):\(port)\(path.hasPrefix("/") ? path : "/" + path)"
    }

    /// Stops the server (idempotent).
    public func stop() {
        server.closeInput()
        server.send(SIGTERM)
    }

    /// Every request the server has seen, in arrival order. Waits (up to `settle`) for
    /// requests still being answered so their `end` is filled in.
    public func requestLog(settle: Duration = .seconds(2)) async -> [LoggedRequest] {
        var requests: [LoggedRequest] = []
        _ = await eventually(within: settle) {
            requests = readLog()
            return requests.allSatisfy { $0.end != nil }
        }
        return requests
    }

    private func readLog() -> [LoggedRequest] {
        guard let data = try? Data(contentsOf: logFile) else { return [] }
        var requests: [LoggedRequest] = []
        var index: [Int: Int] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = object["id"] as? Int else { continue }
            if object["event"] as? String == "start" {
                index[id] = requests.count
                requests.append(LoggedRequest(
                    id: id,
                    method: object["method"] as? String ?? "",
                    path: object["path"] as? String ?? "",
                    query: object["query"] as? String ?? "",
                    host: object["host"] as? String ?? "",
                    clientPort: object["client_port"] as? Int ?? 0,
                    headers: object["headers"] as? [String: String] ?? [:],
                    start: object["time"] as? Double ?? 0))
            } else if let i = index[id] {
                requests[i].end = object["time"] as? Double
                requests[i].status = object["status"] as? Int
                requests[i].bytes = object["bytes"] as? Int
            }
        }
        return requests
    }
}

/// One request as the test site saw it. Times are Unix seconds (same clock as `Date()`).
public struct LoggedRequest: Sendable, Equatable {
    public var id: Int
    public var method: String
    public var path: String
    public var query: String
    /// The `Host` header, e.g. `127.0.0.1:40123`.
    public var host: String
    /// The client's source port: equal ports on two requests mean one reused connection.
    public var clientPort: Int
    /// Request headers with lower-cased names.
    public var headers: [String: String]
    public var start: Double
    /// When the answer was written or the client gave up; nil while still running.
    public var end: Double?
    /// The status sent (nil if the connection was dropped without an answer).
    public var status: Int?
    public var bytes: Int?
}

extension Array where Element == LoggedRequest {
    /// The largest number of these requests that were being served at the same moment.
    public func maxConcurrency() -> Int {
        var events: [(Double, Int)] = []
        for request in self {
            events.append((request.start, 1))
            events.append((request.end ?? .infinity, -1))
        }
        // At equal times count ends first: back-to-back requests do not overlap.
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var current = 0, peak = 0
        for (_, delta) in events {
            current += delta
            peak = Swift.max(peak, current)
        }
        return peak
    }
}

import Foundation
import HeraldTestSupport
import Testing

/// A scratch herald installation for one test: a config file with test settings (private
/// networks allowed, short timeouts, no politeness delay), crawl definitions, and the spool,
/// state and log directories it points at, all in a fresh temporary directory.
struct CrawlFixture {
    let root: URL
    var configFile: URL { root.appendingPathComponent("herald.yaml") }
    var spool: URL { root.appendingPathComponent("spool") }
    var state: URL { root.appendingPathComponent("state") }
    var logs: URL { root.appendingPathComponent("log") }
    var crawls: URL { root.appendingPathComponent("crawls") }

    static let testConfig = """
        spool_dir: spool
        state_dir: state
        log_dir: log
        crawls_dir: crawls
        control_socket: control.sock
        user_agent: herald-test/1.0
        concurrency: 8
        per_host_concurrency: 3
        per_host_delay: 0s
        timeout: 2s
        connect_timeout: 1s
        max_body_bytes: 1MB
        max_redirects: 5
        retries: 1
        allow_private_networks: true
        min_body_words: 20

        """

    init() throws {
        root = TestPaths.temporaryDirectory("herald-crawl")
        try FileManager.default.createDirectory(at: crawls, withIntermediateDirectories: true)
        try Self.testConfig.write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// Writes `Crawls/<name>.yaml` and returns its path.
    @discardableResult
    func writeCrawl(_ name: String, _ yaml: String) throws -> URL {
        let file = crawls.appendingPathComponent("\(name).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// `herald crawl --config <fixture config> <arguments>` with the real binary.
    func crawl(_ arguments: [String]) async throws -> HeraldResult {
        try await HeraldResult.run(["crawl", "--config", configFile.path] + arguments, in: root)
    }

    /// Every record in the spool's `new/`, decoded.
    func records() throws -> [[String: Any]] {
        let new = spool.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: new.appendingPathComponent(name))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    /// The events of the crawl's runs, oldest run first (one array per run file).
    func runEvents(crawl: String) throws -> [[[String: Any]]] {
        let folder = logs.appendingPathComponent("runs").appendingPathComponent(crawl)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return try data.split(separator: 0x0a).map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            }
        }
    }
}

/// The outcome of running the `herald` binary: exit status and what it printed.
struct HeraldResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs the debug binary with `arguments` in `directory`, waiting without blocking the
    /// cooperative pool (output goes to files, the exit is reported by a termination handler).
    static func run(_ arguments: [String], in directory: URL) async throws -> HeraldResult {
        let out = directory.appendingPathComponent("stdout-\(UUID().uuidString.prefix(6)).txt")
        let err = directory.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6)).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = TestPaths.heraldBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return HeraldResult(status: status,
                            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

extension HeraldResult {
    /// Starts the binary and sends `signal` after `delay`, then waits for it to exit.
    static func run(_ arguments: [String], in directory: URL, signal: Int32, after delay: Duration) async throws -> HeraldResult {
        let out = directory.appendingPathComponent("stdout-\(UUID().uuidString.prefix(6)).txt")
        let err = directory.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6)).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = TestPaths.heraldBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let exited = ExitBox()
        process.terminationHandler = { exited.set($0.terminationStatus) }
        try process.run()
        try await Task.sleep(for: delay)
        kill(process.processIdentifier, signal)
        while exited.value == nil { try await Task.sleep(for: .milliseconds(20)) }
        return HeraldResult(status: exited.value ?? -1,
                            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

final class ExitBox: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?
    func set(_ s: Int32) { lock.withLock { status = s } }
    var value: Int32? { lock.withLock { status } }
}

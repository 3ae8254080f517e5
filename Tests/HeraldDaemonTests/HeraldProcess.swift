import Foundation
import HeraldTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real `herald` binary run by a test: a daemon (`herald run`) kept running in the
/// background, or a command run to its end. Output goes to files, never pipes, so a chatty
/// child cannot block on a full pipe; waiting polls with `Task.sleep`, so the (two-thread)
/// cooperative pool is never blocked.
final class HeraldProcess: @unchecked Sendable {
    let process = Process()
    let stdoutFile: URL
    let stderrFile: URL

    /// The environment of the test process minus what would change herald's behaviour.
    static func cleanEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "HERALD_CONFIG", "JOURNAL_STREAM"] {
            env[key] = nil
        }
        env.merge(extra) { _, new in new }
        return env
    }

    /// Starts `herald arguments...` in `directory`.
    init(_ arguments: [String], directory: URL, environment: [String: String] = [:]) throws {
        let id = UUID().uuidString.prefix(8)
        stdoutFile = directory.appendingPathComponent("herald-\(id).out")
        stderrFile = directory.appendingPathComponent("herald-\(id).err")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = TestPaths.heraldBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = Self.cleanEnvironment(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status once the process has ended, or nil if it still runs after `limit`.
    func exitStatus(within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Waits until a daemon has logged that it is up (crawls loaded and scheduled, control
    /// socket served).
    func isReady(within limit: Duration = .seconds(20)) async -> Bool {
        await eventually(within: limit) { stderr.contains("herald: started") }
    }

    /// Runs a command to its end (killed after `limit`) and returns its status and output.
    static func run(_ arguments: [String], directory: URL, environment: [String: String] = [:],
                    limit: Duration = .seconds(60)) async throws -> (status: Int32?, stdout: String, stderr: String) {
        let command = try HeraldProcess(arguments, directory: directory, environment: environment)
        let status = await command.exitStatus(within: limit)
        if status == nil { command.send(SIGKILL) }
        return (status, command.stdout, command.stderr)
    }
}

/// Waits, without blocking a thread, until `condition` holds or `limit` passes; returns
/// whether it held.
func eventually(within limit: Duration, poll: Duration = .milliseconds(50),
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: poll)
    }
    return try await condition()
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started by a test (the real `herald` binary, python, mount), its output
/// captured in files. Waiting for it never blocks the cooperative thread pool: the exit is
/// reported by the process's termination handler. Thread-safe.
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public struct Exit: Sendable {
        public var status: Int32
        /// True when a signal ended it (`status` is then the signal number).
        public var signalled: Bool
        public var stdout: String
        public var stderr: String
    }

    public let process = Process()
    private let out: URL
    private let err: URL
    private let lock = NSLock()
    private var exitStatus: (Int32, Bool)?
    private var waiters: [CheckedContinuation<(Int32, Bool), Never>] = []

    /// Starts `executable` with `arguments` in `directory`; stdin is /dev/null.
    public init(_ executable: URL, _ arguments: [String], in directory: URL) throws {
        let tag = UUID().uuidString.prefix(8)
        out = directory.appendingPathComponent("child-\(tag).out")
        err = directory.appendingPathComponent("child-\(tag).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.terminationHandler = { [weak self] process in
            self?.finished(process.terminationStatus, process.terminationReason == .uncaughtSignal)
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Sends `signal` (a graceful stop, say) unless the child has already ended.
    public func send(_ signal: Int32) {
        if lock.withLock({ exitStatus == nil }) { kill(pid, signal) }
    }

    /// Sends SIGKILL; true when the child was still alive to receive it.
    @discardableResult
    public func killNow() -> Bool {
        let alive = lock.withLock { exitStatus == nil }
        return alive && kill(pid, SIGKILL) == 0
    }

    /// Waits for the child to end and returns its status and output.
    public func wait() async -> Exit {
        let (status, signalled) = await withCheckedContinuation { continuation in
            let done = lock.withLock { () -> (Int32, Bool)? in
                if let exitStatus { return exitStatus }
                waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
        return Exit(status: status, signalled: signalled,
                    stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                    stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    private func finished(_ status: Int32, _ signalled: Bool) {
        let waiting = lock.withLock { () -> [CheckedContinuation<(Int32, Bool), Never>] in
            exitStatus = (status, signalled)
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiting { waiter.resume(returning: (status, signalled)) }
    }

    /// Runs a child to completion.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> Exit {
        await (try ChildProcess(executable, arguments, in: directory)).wait()
    }
}

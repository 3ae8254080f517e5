import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The one way tests run a child process (the real `herald` binary, python, nginx, systemd
/// tools): run to completion with captured stdout, stderr and exit status, or started in the
/// background to be signalled, read line by line while it runs, and waited on with a timeout.
///
/// Output goes to files, never pipes, so a chatty child can never block on a full pipe and
/// what it printed can be read at any moment. Waiting never blocks the cooperative thread
/// pool: the exit is reported by the process's termination handler. A child still running
/// when its `ChildProcess` goes away is killed. Thread-safe.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public struct Exit: Sendable {
        public var status: Int32
        /// True when a signal ended it (`status` is then the signal number).
        public var signalled: Bool
        public var stdout: String
        public var stderr: String
    }

    /// What the child reads on stdin.
    public enum Input: Sendable {
        /// /dev/null.
        case none
        /// These bytes, then end of file.
        case bytes(Data)
        /// A pipe that stays open until `closeInput()` (or the end of this object): a child
        /// that exits when its stdin closes dies with the test.
        case open
    }

    /// One of the child's output streams.
    public enum Stream: Sendable {
        case stdout, stderr
    }

    private struct State {
        var exit: (status: Int32, signalled: Bool)?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let process = Process()
    private let stdoutFile: URL
    private let stderrFile: URL
    private let inputPipe: Pipe?
    private let state = Mutex(State())

    /// Starts `executable` with `arguments` in the working directory `directory` (nil: the
    /// test process's). `environment` nil inherits the test process's. The captured output
    /// lives in a temporary directory of its own, never among the files a test inspects.
    public init(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                environment: [String: String]? = nil, input: Input = .none) throws {
        let capture = TestPaths.temporaryDirectory("herald-child")
        stdoutFile = capture.appendingPathComponent("stdout")
        stderrFile = capture.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        switch input {
        case .none:
            inputPipe = nil
            process.standardInput = FileHandle.nullDevice
        case .bytes(let data):
            let file = capture.appendingPathComponent("stdin")
            try data.write(to: file)
            inputPipe = nil
            process.standardInput = try FileHandle(forReadingFrom: file)
        case .open:
            let pipe = Pipe()
            inputPipe = pipe
            process.standardInput = pipe
        }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.terminationHandler = { [weak self] process in
            self?.finished(process.terminationStatus, process.terminationReason == .uncaughtSignal)
        }
        try process.run()
    }

    deinit {
        try? inputPipe?.fileHandleForWriting.close()
        if state.withLock({ $0.exit == nil }) { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs a child to completion.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil, input: Input = .none) async throws -> Exit {
        await (try ChildProcess(executable, arguments, in: directory, environment: environment, input: input)).wait()
    }

    public var pid: Int32 { process.processIdentifier }

    public var stdout: String { output(.stdout) }
    public var stderr: String { output(.stderr) }

    /// What the child has written to `stream` so far.
    public func output(_ stream: Stream) -> String {
        (try? String(contentsOf: stream == .stdout ? stdoutFile : stderrFile, encoding: .utf8)) ?? ""
    }

    /// True once the child has ended.
    public var hasExited: Bool { state.withLock { $0.exit != nil } }

    /// Sends `signal` (a graceful stop, say) unless the child has already ended.
    public func send(_ signal: Int32) {
        if !hasExited { kill(pid, signal) }
    }

    /// Sends SIGKILL; true when the child was still alive to receive it.
    @discardableResult
    public func killNow() -> Bool {
        !hasExited && kill(pid, SIGKILL) == 0
    }

    /// Closes the `.open` stdin pipe (idempotent).
    public func closeInput() {
        try? inputPipe?.fileHandleForWriting.close()
    }

    /// Waits for the child to end and returns its status and output.
    public func wait() async -> Exit {
        await withCheckedContinuation { continuation in
            let ended = state.withLock { state -> Bool in
                if state.exit != nil { return true }
                state.waiters.append(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
        let exit = state.withLock { $0.exit! }
        return Exit(status: exit.status, signalled: exit.signalled, stdout: stdout, stderr: stderr)
    }

    /// Waits for the child to end; nil when it still runs after `limit` (it is left running).
    public func wait(within limit: Duration) async -> Exit? {
        await eventually(within: limit, poll: .milliseconds(20)) { hasExited } ? await wait() : nil
    }

    /// The first line of `stream` that satisfies `predicate`, waiting for the child to write
    /// it; nil when `limit` passes or the child ends without writing one.
    public func line(in stream: Stream = .stdout, within limit: Duration = .seconds(30),
                     where predicate: (Substring) -> Bool) async -> Substring? {
        var found: Substring?
        _ = await eventually(within: limit, poll: .milliseconds(10)) {
            let exited = hasExited
            // Only whole lines: a line still being written could match by its prefix.
            found = output(stream).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .first(where: predicate)
            return found != nil || exited
        }
        return found
    }

    private func finished(_ status: Int32, _ signalled: Bool) {
        let waiting = state.withLock { state in
            state.exit = (status, signalled)
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiting { waiter.resume() }
    }
}

/// Waits, without blocking a thread, until `condition` holds or `limit` passes; returns
/// whether it held. `limit` is a guard against a hang, never the thing a test measures.
public func eventually(within limit: Duration, poll: Duration = .milliseconds(20),
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: poll)
    }
    return try await condition()
}

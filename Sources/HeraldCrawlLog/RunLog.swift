import Foundation
import HeraldFiles
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The writer of one run's log: appends events as JSON lines to the run file and, at the end,
/// records the counters and outcome in the index and applies the retention policy.
///
/// Thread-safe: any number of tasks may call `record` concurrently; each event becomes one
/// complete line written with a single `write(2)` to an `O_APPEND` file, so a follower
/// (`herald logs --follow`) sees it immediately and never sees half a line. `finish` fsyncs the
/// file, so a finished run survives power loss. Logging never throws at the crawl: a failed write
/// is remembered and reported by `finish`.
public final class RunLog: Sendable {
    public let id: String
    public let crawl: String
    public let start: Date
    /// The run file.
    public let file: URL
    /// The run file relative to the log directory, as the index records it.
    let relativePath: String

    private let index: RunIndex
    private let lock: FileLock
    private let observer: (any CrawlEventObserver)?
    private let onFinish: @Sendable () -> Void
    private let state: Mutex<State>

    private struct State {
        var handle: FileHandle?
        var tally = RunCounters()
        var writeError: CrawlLogError?
        var summary: RunSummary?
        /// Set by `abandon()`: the log stops as a killed process's would.
        var abandoned = false
    }

    init(id: String, crawl: String, start: Date, file: URL, relativePath: String, handle: FileHandle,
         index: RunIndex, lock: FileLock, observer: (any CrawlEventObserver)?,
         onFinish: @escaping @Sendable () -> Void) {
        self.id = id
        self.crawl = crawl
        self.start = start
        self.file = file
        self.relativePath = relativePath
        self.index = index
        self.lock = lock
        self.observer = observer
        self.onFinish = onFinish
        state = Mutex(State(handle: handle))
    }

    /// A run log dropped without `finish` (an engine path that forgot, a thrown error) still
    /// ends its run, as interrupted, so the history never shows it running forever.
    deinit {
        let (finished, abandoned) = state.withLock { ($0.summary != nil, $0.abandoned) }
        if !finished && !abandoned {
            _ = try? finish(outcome: .interrupted, message: "the run ended without reporting how")
        }
        state.withLock { try? $0.handle?.close() }
        lock.release()
    }

    /// The counters so far, summed from the recorded events.
    public var counters: RunCounters {
        state.withLock { $0.tally }
    }

    /// Whether `finish` has been called.
    public var isFinished: Bool {
        state.withLock { $0.summary != nil }
    }

    /// Appends one event. `.runStart` is written by `CrawlLog.startRun` and ignored here;
    /// `.runEnd` is the same as `finish` with those counters. Events after the end are dropped.
    public func record(_ event: CrawlEvent, at time: Date = Date()) {
        switch event {
        case .runStart:
            return
        case let .runEnd(counters, outcome, message):
            _ = try? finish(outcome: outcome, message: message, counters: counters, at: time)
            return
        default:
            break
        }
        let recorded = state.withLock { state in
            guard state.summary == nil, !state.abandoned else { return false }
            state.tally.count(event)
            append(LogEntry(time: time, runID: id, event: event), to: &state)
            return true
        }
        if recorded { observer?.observe(event, crawl: crawl, runStart: start, at: time) }
    }

    /// Ends the run: writes the run-end event, fsyncs and closes the file, records the run in
    /// the index, releases the crawl's lock and prunes history the retention policy no longer
    /// keeps. `counters` defaults to the ones summed from the recorded events. Throws if any
    /// event could not be written (the run file is then incomplete) or the index could not be
    /// updated.
    @discardableResult
    public func finish(outcome: RunOutcome, message: String? = nil, counters: RunCounters? = nil,
                       at time: Date = Date()) throws -> RunSummary {
        let (result, writeError, indexError): (RunSummary, CrawlLogError?, (any Error)?) = try state.withLock { state in
            if state.summary != nil { throw CrawlLogError.alreadyFinished(id) }
            let final = counters ?? state.tally
            append(LogEntry(time: time, runID: id,
                            event: .runEnd(counters: final, outcome: outcome, message: message)), to: &state)
            if let handle = state.handle {
                do {
                    try handle.synchronize()
                    try handle.close()
                } catch {
                    if state.writeError == nil {
                        state.writeError = .cannotWrite(path: file.path, reason: FileError.reason(of: error))
                    }
                }
            }
            state.handle = nil
            let s = RunSummary(id: id, crawl: crawl, start: start, end: time, counters: final,
                               outcome: outcome, file: relativePath)
            state.summary = s
            // An index that cannot be written must not hide the run's end from the observer (the
            // metrics) nor keep the crawl locked: the run still ended. Its row stays unfinished,
            // as a killed run's does, until the next start repairs it.
            do {
                try index.finish(id: id, end: time, counters: final, outcome: outcome)
                return (s, state.writeError, nil)
            } catch {
                return (s, state.writeError, error)
            }
        }
        observer?.observe(.runEnd(counters: result.counters, outcome: outcome, message: message),
                          crawl: crawl, runStart: start, at: time)
        // Only after the index says the run ended: a reader never sees it unfinished and unlocked.
        lock.release()
        onFinish()
        if let indexError { throw indexError }
        if let writeError { throw writeError }
        return result
    }

    /// Stops writing without ending the run, exactly as if the process had been killed (for
    /// tests of crash recovery).
    func abandon() {
        state.withLock { state in
            state.abandoned = true
            try? state.handle?.close()
            state.handle = nil
        }
        lock.release()
    }

    /// The first write error, if any event could not be written.
    public var firstWriteError: CrawlLogError? {
        state.withLock { $0.writeError }
    }

    private func append(_ entry: LogEntry, to state: inout State) {
        guard let handle = state.handle else { return }
        do {
            var line = try entry.jsonLine()
            line.append(0x0a)
            try handle.write(contentsOf: line)
        } catch {
            if state.writeError == nil {
                state.writeError = .cannotWrite(path: file.path, reason: FileError.reason(of: error))
            }
        }
    }
}

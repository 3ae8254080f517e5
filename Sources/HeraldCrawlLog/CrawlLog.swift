import Foundation
import HeraldFiles
#if canImport(Glibc)
import Glibc
#endif

/// The crawl history in one log directory: starts runs (`RunLog` writers), lists them from the
/// index, reads and follows run files, and prunes history per `log_retention`.
///
/// Layout: `<dir>/runs.sqlite` (the index) and `<dir>/runs/<crawl>/<run id>.jsonl` (one file of
/// JSON lines per run). A value type holding only paths, so it is safe to share; concurrent
/// writers (also in other processes) coordinate through the index's SQLite locks.
///
/// ```swift
/// let log = CrawlLog(directory: logDir, retention: .runs(100))
/// let run = try log.startRun(crawl: "lbci", configDigest: "sha256:...")
/// run.record(.fetch(url: url, status: 200, bytes: 48_213, ms: 156, kind: .ok))   // from any task
/// run.record(.article(url: url, hash: "sha256:ab12...", file: "new/ab12....json"))
/// let summary = try run.finish(outcome: .ok)   // summary.counters feed the crawl's summary
/// ```
public struct CrawlLog: Sendable {
    public let directory: URL
    public let retention: LogRetention
    /// Hears every event of the runs this log starts (metrics).
    public let observer: (any CrawlEventObserver)?

    public init(directory: URL, retention: LogRetention = .standard, observer: (any CrawlEventObserver)? = nil) {
        self.directory = directory.standardizedFileURL
        self.retention = retention
        self.observer = observer
    }

    // MARK: Writing

    /// Starts a run of `crawl`: takes the crawl's run lock (throwing `CrawlLogError.busy` when
    /// a run of it is going, here or in another process), creates its file (exclusively, so ids
    /// never clash), writes the run-start event and adds the run to the index as running. The
    /// lock is held until the run ends.
    public func startRun(crawl: String, configDigest: String, at start: Date = Date()) throws -> RunLog {
        let lockFile = runLockFile(crawl: crawl)
        let taken: FileLock?
        do throws(FileError) {
            taken = try FileLock.tryLock(lockFile, .exclusive, kind: .openFileDescription)
        } catch { throw CrawlLogError.lock(error.message) }
        guard let lock = taken else { throw CrawlLogError.busy(crawl: crawl, lock: lockFile.path) }
        let index = try RunIndex(writableIn: directory)
        let (id, relative, handle) = try createRunFile(crawl: crawl, start: start)
        do throws(FileError) { try lock.write(id) } catch { throw CrawlLogError.lock(error.message) }
        let pruneRetention = retention
        let me = self
        let log = RunLog(id: id, crawl: crawl, start: start, file: directory.appendingPathComponent(relative),
                         relativePath: relative, handle: handle, index: index, lock: lock, observer: observer,
                         onFinish: { _ = try? me.prune(retention: pruneRetention) })
        let started = CrawlEvent.runStart(crawl: crawl, configDigest: configDigest)
        try append(LogEntry(time: start, runID: id, event: started), to: handle, path: log.file.path)
        try index.insert(id: id, crawl: crawl, start: start, file: relative)
        observer?.observe(started, crawl: crawl, runStart: start, at: start)
        return log
    }

    /// Adds a finished run recorded elsewhere (the run history that herald's state file kept
    /// before the crawl log was the only one) with a run file holding its start and end events,
    /// so `herald logs` shows it like any other. Does nothing and returns false when the index
    /// already has a run of `crawl` started at `start` (the same run, logged twice before).
    @discardableResult
    public func importRun(crawl: String, start: Date, end: Date, outcome: RunOutcome,
                          counters: RunCounters, message: String?) throws -> Bool {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CrawlLogError.cannotCreate(path: directory.path, reason: FileError.reason(of: error))
        }
        let index = try RunIndex(writableIn: directory)
        guard try !index.hasRun(crawl: crawl, startedNear: start) else { return false }
        let (id, relative, handle) = try createRunFile(crawl: crawl, start: start)
        defer { try? handle.close() }
        let path = directory.appendingPathComponent(relative).path
        try append(LogEntry(time: start, runID: id, event: .runStart(crawl: crawl, configDigest: "imported")),
                   to: handle, path: path)
        try append(LogEntry(time: end, runID: id, event: .runEnd(counters: counters, outcome: outcome, message: message)),
                   to: handle, path: path)
        try index.insert(id: id, crawl: crawl, start: start, file: relative)
        try index.finish(id: id, end: end, counters: counters, outcome: outcome)
        return true
    }

    /// Creates `runs/<crawl>/<id>.jsonl` for a new run id, exclusively.
    private func createRunFile(crawl: String, start: Date) throws -> (id: String, relative: String, handle: FileHandle) {
        let folder = directory.appendingPathComponent("runs").appendingPathComponent(RunID.safeName(crawl))
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CrawlLogError.cannotCreate(path: folder.path, reason: FileError.reason(of: error))
        }
        var attempts = 0
        while true {
            let id = RunID.make(crawl: crawl, start: start)
            let relative = "runs/\(RunID.safeName(crawl))/\(id).jsonl"
            let url = directory.appendingPathComponent(relative)
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o640)
            if fd < 0 {
                let code = errno
                attempts += 1
                if code == EEXIST && attempts < 100 { continue }
                throw CrawlLogError.cannotCreate(path: url.path, reason: String(cString: strerror(code)))
            }
            // Best effort: the run file's name is only lost if the machine crashes right now,
            // and the run can go on without it.
            try? DirectorySync.sync(folder)
            return (id, relative, FileHandle(fileDescriptor: fd, closeOnDealloc: true))
        }
    }

    private func append(_ entry: LogEntry, to handle: FileHandle, path: String) throws {
        var line = try entry.jsonLine()
        line.append(0x0a)
        do {
            try handle.write(contentsOf: line)
        } catch {
            throw CrawlLogError.cannotWrite(path: path, reason: FileError.reason(of: error))
        }
    }

    /// Deletes the run files and index entries that `retention` no longer keeps. Runs still
    /// being written are never deleted. Returns how many runs were removed.
    @discardableResult
    public func prune(retention: LogRetention? = nil, now: Date = Date()) throws -> Int {
        guard let index = try RunIndex(readOnlyIn: directory) else { return 0 }
        let expired = try index.expired(by: retention ?? self.retention, now: now)
            .filter { !isRunning($0) }
        guard !expired.isEmpty else { return 0 }
        for run in expired {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(run.file))
        }
        try RunIndex(writableIn: directory).delete(ids: expired.map(\.id))
        return expired.count
    }

    /// Ends the runs whose process died before writing their run-end event (`kill -9`, power
    /// loss), i.e. those without an end whose crawl lock no live run of theirs holds: appends a
    /// run-end event with outcome `interrupted` and the counters of the events that made it to
    /// disk, and records that in the index. Safe to race with runs starting and with another
    /// process doing the same.
    @discardableResult
    public func closeAbandonedRuns(at time: Date = Date()) throws -> [RunSummary] {
        guard let reader = try RunIndex(readOnlyIn: directory) else { return [] }
        let abandoned = try reader.runs(crawl: nil, since: nil, limit: nil, unfinishedOnly: true)
            .filter { !isRunning($0) }
        guard !abandoned.isEmpty else { return [] }
        let index = try RunIndex(writableIn: directory)
        var closed: [RunSummary] = []
        for var run in abandoned {
            var counters = RunCounters()
            let url = directory.appendingPathComponent(run.file)
            let events = try? self.events(of: run)
            for entry in events?.entries ?? [] { counters.count(entry.event) }
            guard try index.finish(id: run.id, end: time, counters: counters, outcome: .interrupted,
                                   onlyIfRunning: true) else { continue }
            if let handle = try? FileHandle(forUpdating: url) {
                let endsWithNewline = (try? handle.seekToEnd()).map { size -> Bool in
                    guard size > 0, (try? handle.seek(toOffset: size - 1)) != nil else { return true }
                    return (try? handle.read(upToCount: 1)) == Data([0x0a])
                } ?? true
                let entry = LogEntry(time: time, runID: run.id, event: .runEnd(
                    counters: counters, outcome: .interrupted,
                    message: "the crawl process ended without finishing the run"))
                if var line = try? entry.jsonLine() {
                    line.append(0x0a)
                    if !endsWithNewline { line.insert(0x0a, at: 0) }
                    _ = try? handle.seekToEnd()
                    try? handle.write(contentsOf: line)
                    try? handle.synchronize()
                }
                try? handle.close()
            }
            run.end = time
            run.counters = counters
            run.outcome = .interrupted
            closed.append(run)
        }
        return closed
    }

    // MARK: Reading

    /// Runs in start order, optionally of one crawl, started at or after `since`, and only those
    /// with errors or a failed/interrupted outcome (`failingOnly`); with `limit`, only the newest
    /// `limit` of them. Reads only the index.
    public func runs(crawl: String? = nil, since: Date? = nil, failingOnly: Bool = false,
                     limit: Int? = nil) throws -> [RunSummary] {
        guard let index = try RunIndex(readOnlyIn: directory) else { return [] }
        return try index.runs(crawl: crawl, since: since, limit: limit, failingOnly: failingOnly)
    }

    /// The newest run of each crawl, by crawl name (for `herald status`); with `outcome`, the
    /// newest run of each crawl that ended so (the last successful run, for metrics).
    public func latestRuns(outcome: RunOutcome? = nil) throws -> [RunSummary] {
        guard let index = try RunIndex(readOnlyIn: directory) else { return [] }
        return try index.latestPerCrawl(outcome: outcome)
    }

    /// Runs without a run-end event that still hold their crawl's lock.
    public func runningRuns(crawl: String? = nil) throws -> [RunSummary] {
        guard let index = try RunIndex(readOnlyIn: directory) else { return [] }
        return try index.runs(crawl: crawl, since: nil, limit: nil, unfinishedOnly: true)
            .filter(isRunning)
    }

    /// The run with this id, or with this unique id prefix (like an abbreviated git hash).
    public func run(id: String) throws -> RunSummary {
        guard let index = try RunIndex(readOnlyIn: directory) else { throw CrawlLogError.unknownRun(id) }
        if let run = try index.run(id: id) { return run }
        let matches = try index.ids(withPrefix: id, limit: 2)
        guard matches.count == 1, let run = try index.run(id: matches[0]) else {
            throw CrawlLogError.unknownRun(id)
        }
        return run
    }

    /// Whether the run is still going: it has no end yet and holds its crawl's lock.
    public func isRunning(_ run: RunSummary) -> Bool {
        run.outcome == nil && FileLock.holder(of: runLockFile(crawl: run.crawl)) == run.id
    }

    /// The lock a run of `crawl` holds from its start to its end, `locks/<crawl>.lock`: two
    /// runs of one crawl never overlap (in one process or across processes), and whether a run
    /// is still going is decided by this lock alone: the file names the run holding it, and the
    /// kernel drops the lock when the holder dies (even by `kill -9`), so no process id is
    /// probed. An open-file-description lock, so that `herald logs` and `herald status` asking
    /// whether a run is alive never make a run that starts at that instant find its crawl busy.
    func runLockFile(crawl: String) -> URL {
        directory.appendingPathComponent("locks").appendingPathComponent("\(RunID.safeName(crawl)).lock")
    }

    /// The events of one run, in the order written. A line that cannot be decoded (a torn last
    /// line after a crash, a hand edit) is skipped and reported in `malformedLines`.
    public func events(of run: RunSummary) throws -> RunEvents {
        let url = directory.appendingPathComponent(run.file)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CrawlLogError.cannotRead(path: url.path, reason: FileError.reason(of: error))
        }
        var reader = LineReader()
        var result = RunEvents()
        for line in reader.feed(data, final: true) {
            result.add(line)
        }
        return result
    }

    /// Streams a run's events as they are written: everything already in the file, then new
    /// lines by polling every `pollInterval`, until the run-end event. Ends with
    /// `CrawlLogError.writerGone` if the writing process dies without ending the run.
    public func follow(_ run: RunSummary, pollInterval: Duration = .milliseconds(200))
        -> AsyncThrowingStream<LogEntry, any Error>
    {
        let url = directory.appendingPathComponent(run.file)
        let me = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var reader = LineReader()
                    var offset: UInt64 = 0
                    var idle = 0
                    while !Task.isCancelled {
                        let chunk = try Self.read(url, from: offset)
                        offset += UInt64(chunk.count)
                        var ended = false
                        for line in reader.feed(chunk, final: false) {
                            guard let entry = try? LogEntry.decode(line: line) else { continue }
                            continuation.yield(entry)
                            if case .runEnd = entry.event { ended = true }
                        }
                        if ended { break }
                        if chunk.isEmpty {
                            idle += 1
                            // Every few idle polls, check the writer is still there.
                            if idle % 10 == 0, let current = try? me.run(id: run.id),
                               current.outcome == nil, !me.isRunning(current)
                            {
                                throw CrawlLogError.writerGone(run.id)
                            }
                        } else {
                            idle = 0
                        }
                        try await Task.sleep(for: pollInterval)
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func read(_ url: URL, from offset: UInt64) throws -> Data {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: offset)
            return try handle.readToEnd() ?? Data()
        } catch {
            throw CrawlLogError.cannotRead(path: url.path, reason: FileError.reason(of: error))
        }
    }
}

/// A run file's decoded events, plus the lines that could not be decoded (1-based numbers).
public struct RunEvents: Sendable {
    public var entries: [LogEntry] = []
    public var malformedLines: [Int] = []
    private var lineNumber = 0

    mutating func add(_ line: Data) {
        lineNumber += 1
        if let entry = try? LogEntry.decode(line: line) {
            entries.append(entry)
        } else {
            malformedLines.append(lineNumber)
        }
    }

    /// Whether the file ends with a run-end event.
    public var isComplete: Bool {
        if case .runEnd = entries.last?.event { return true }
        return false
    }
}

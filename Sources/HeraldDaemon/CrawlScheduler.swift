import Foundation
import HeraldConfig
import HeraldFormats

/// Decides when each crawl runs next: a value type fed the crawl definitions, their run history
/// and the current time (passed in, so tests drive it with a synthetic clock).
///
/// Its promises: a crawl never has two runs at once (a crawl that is due while running waits
/// for the run to end); missed slots collapse into one run (after downtime, or when a run
/// outlasted its interval, the crawl runs once, not once per slot); due times carry a small
/// random delay so that crawls sharing a schedule do not all hit their sites on the minute.
/// Not thread-safe by itself (a value); the daemon keeps it inside its actor.
public struct CrawlScheduler: Sendable {
    /// What the history says about a crawl's newest run, for scheduling after a (re)start.
    public struct LastRun: Sendable, Equatable {
        public var start: Date
        /// The run was cut short (daemon stopped, process killed): it is resumed at once.
        public var interrupted: Bool

        public init(start: Date, interrupted: Bool) {
            self.start = start
            self.interrupted = interrupted
        }
    }

    /// One scheduled crawl.
    public struct Entry: Sendable, Equatable {
        public var definition: CrawlDefinition
        /// The slot the next run belongs to (before jitter).
        public var slot: Date
        /// When the next run starts: the slot plus jitter.
        public var due: Date
        /// Start of the run in progress, nil when idle.
        public var runningSince: Date?
        /// The slot of the run in progress (or of the last run), which the next slot counts from.
        var lastSlot: Date?

        public var name: String { definition.name }
        public var isRunning: Bool { runningSince != nil }
    }

    /// Largest delay added to a due time.
    public static let maximumJitter: TimeInterval = 30
    /// Largest delay added to a run due now.
    public static let immediateJitter: TimeInterval = 1
    /// Share of a crawl's period that its jitter may take (so `every 1s` is not pushed by 30 s).
    public static let jitterShare = 0.1

    /// The scheduled crawls by name.
    public private(set) var entries: [String: Entry] = [:]
    private let random: @Sendable () -> Double
    private let timeZone: TimeZone

    /// `random` returns a value in 0..<1 that scales each jitter (injectable for tests).
    public init(timeZone: TimeZone = .current,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.timeZone = timeZone
        self.random = random
    }

    /// Replaces the set of crawls (at start-up and after a reload). New crawls are placed from
    /// their history: never run (`every`: now; cron: its next time), interrupted (now), else the
    /// schedule's next slot after the last start, or now if that slot has passed (a missed run
    /// runs once). Crawls whose schedule is unchanged keep their place; crawls no longer
    /// defined are dropped (a run in progress finishes but is not rescheduled).
    public mutating func update(definitions: [CrawlDefinition], history: [String: LastRun], now: Date) {
        var next: [String: Entry] = [:]
        for definition in definitions {
            if var entry = entries[definition.name] {
                let rescheduled = entry.definition.schedule != definition.schedule
                entry.definition = definition
                if rescheduled && !entry.isRunning {
                    let base = entry.lastSlot ?? history[definition.name]?.start
                    place(&entry, after: base, resume: false, now: now)
                }
                next[definition.name] = entry
            } else {
                let last = history[definition.name]
                var entry = Entry(definition: definition, slot: now, due: now, runningSince: nil,
                                  lastSlot: last?.start)
                place(&entry, after: last?.start, resume: last?.interrupted ?? false, now: now)
                next[definition.name] = entry
            }
        }
        entries = next
    }

    /// The idle crawls whose due time has come, earliest first.
    public func dueCrawls(now: Date) -> [CrawlDefinition] {
        entries.values.filter { !$0.isRunning && $0.due <= now }
            .sorted { ($0.due, $0.name) < ($1.due, $1.name) }
            .map(\.definition)
    }

    /// When the next idle crawl becomes due (nil: nothing scheduled, or all running).
    public func nextDue() -> Date? {
        entries.values.filter { !$0.isRunning }.map(\.due).min()
    }

    /// The entry of one crawl.
    public func entry(_ name: String) -> Entry? { entries[name] }

    /// Records that a run of `name` started. A run started by the schedule belongs to the
    /// current slot; one started on request (`herald crawl`) at `now` counts as a new slot, so
    /// `every 15m` is measured from it.
    /// Returns false (and changes nothing) when the crawl is already running or unknown.
    @discardableResult
    public mutating func markStarted(_ name: String, now: Date, scheduled: Bool) -> Bool {
        guard var entry = entries[name], !entry.isRunning else { return false }
        entry.runningSince = now
        entry.lastSlot = scheduled ? entry.slot : now
        entries[name] = entry
        return true
    }

    /// Records that the run of `name` ended and places the next run: the schedule's slot after
    /// the one just run, or now if that has already passed (run once, however many slots the
    /// run overlapped).
    public mutating func markFinished(_ name: String, now: Date) {
        guard var entry = entries[name], entry.isRunning else { return }
        entry.runningSince = nil
        place(&entry, after: entry.lastSlot, resume: false, now: now)
        entries[name] = entry
    }

    private func place(_ entry: inout Entry, after base: Date?, resume: Bool, now: Date) {
        let schedule = entry.definition.schedule
        var slot: Date
        if resume {
            slot = now
        } else if let base {
            slot = schedule.nextFire(after: base, timeZone: timeZone)
        } else {
            switch schedule {
            case .every: slot = now
            case .cron: slot = schedule.nextFire(after: now, timeZone: timeZone)
            }
        }
        if slot < now { slot = now }
        entry.slot = slot
        entry.due = slot.addingTimeInterval(jitter(for: schedule, at: slot, immediate: slot <= now))
    }

    /// A random delay of up to 10% of the crawl's period, at most 30 s; at most 1 s for a run
    /// due now (first run, missed or interrupted run), which is not aligned to any minute.
    private func jitter(for schedule: Schedule, at slot: Date, immediate: Bool) -> TimeInterval {
        let period: TimeInterval
        switch schedule {
        case .every(let interval):
            period = interval.timeInterval
        case .cron:
            let following = schedule.nextFire(after: slot, timeZone: timeZone)
            period = max(following.timeIntervalSince(slot), 60)
        }
        let bound = min(immediate ? Self.immediateJitter : Self.maximumJitter, period * Self.jitterShare)
        return bound * min(max(random(), 0), 1)
    }
}

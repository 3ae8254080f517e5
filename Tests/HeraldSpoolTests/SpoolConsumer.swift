import Foundation
import HeraldTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A maildir consumer for tests, running on its own thread (never on the cooperative pool):
/// it scans `new/`, reads and checks every file it has not seen yet (complete JSON with every
/// record field, `content_hash` matching the file name), counts it as one delivery of its hash,
/// and then moves it to `cur/`, deletes it, or leaves it for a later scan; now and then it
/// deletes a file from `cur/`. A file counts as a new delivery when its name was not seen in
/// `new/` before or its inode changed (herald wrote it again). Thread-safe.
final class SpoolConsumer: Sendable {
    /// Every field an article record from a crawl carries (values may be null, never missing).
    static let recordFields = [
        "url", "canonical_url", "title", "authors", "published", "modified", "section", "tags",
        "language", "description", "site_name", "image", "body", "word_count", "content_hash",
        "crawl", "run_id", "fetched_at", "http_status", "final_url",
    ]

    let spool: URL
    private var new: URL { spool.appendingPathComponent("new") }
    private var cur: URL { spool.appendingPathComponent("cur") }
    private let stopped = DispatchSemaphore(value: 0)
    private let state: Mutex<State>

    private struct State {
        var random: SeededRandom
        var running = false
        /// Scans finished so far.
        var scans = 0
        /// Files seen in `new/` and left there: name -> inode.
        var leftInNew: [String: UInt64] = [:]
        var counts: [String: Int] = [:]
        var problems: [String] = []
        var moved = 0
        var deletedFromNew = 0
        var deletedFromCur = 0
    }

    init(spool: URL, seed: UInt64) {
        self.spool = spool
        state = Mutex(State(random: SeededRandom(seed: seed)))
    }

    /// How often each content hash was delivered (as seen by this consumer).
    var deliveries: [String: Int] { state.withLock { $0.counts } }
    /// Files that were incomplete, unparsable, misnamed or missing record fields.
    var badFiles: [String] { state.withLock { $0.problems } }
    var summary: String {
        state.withLock {
            "\($0.counts.count) hashes seen, \($0.moved) moved to cur/, \($0.deletedFromNew) deleted from new/, "
                + "\($0.deletedFromCur) deleted from cur/"
        }
    }

    /// Starts scanning every `interval` on a dedicated thread.
    func start(interval: TimeInterval = 0.01) {
        state.withLock { $0.running = true }
        Thread.detachNewThread { [self] in
            while state.withLock({ $0.running }) {
                scan(act: true)
                Thread.sleep(forTimeInterval: interval)    // the pace of a polling consumer
            }
            stopped.signal()
        }
    }

    /// Returns once the consumer has looked at everything now in `new/`: a whole scan started
    /// after this call has finished.
    func caughtUp(within limit: Duration = .seconds(30)) async -> Bool {
        let now = state.withLock { $0.scans }
        return await eventually(within: limit, poll: .milliseconds(5)) { state.withLock { $0.scans } >= now + 2 }
    }

    /// Stops the thread (waiting for its last scan off the cooperative pool), then scans once
    /// more without acting, so what remains in `new/` is counted too.
    func stop() async {
        guard state.withLock({ state -> Bool in defer { state.running = false }; return state.running }) else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [stopped] in
                stopped.wait()
                continuation.resume()
            }
        }
        scan(act: false)
    }

    /// One pass over `new/` (and, acting, a random file of `cur/`).
    func scan(act: Bool) {
        defer { state.withLock { $0.scans += 1 } }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []
        for name in names {
            let path = new.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }   // taken meanwhile (cannot happen: we are the consumer)
            let inode = UInt64(info.st_ino)
            let known = state.withLock { $0.leftInNew[name] == inode }
            if !known {
                check(name: name, path: path)
            }
            guard act else {
                state.withLock { $0.leftInNew[name] = inode }
                continue
            }
            let choice = state.withLock { $0.random.next() % 10 }
            switch choice {
            case 0..<5:
                if rename(path, cur.appendingPathComponent(name).path) == 0 {
                    state.withLock { $0.moved += 1; $0.leftInNew[name] = nil }
                }
            case 5..<7:
                if unlink(path) == 0 {
                    state.withLock { $0.deletedFromNew += 1; $0.leftInNew[name] = nil }
                }
            default:
                state.withLock { $0.leftInNew[name] = inode }
            }
        }
        guard act else { return }
        let pickCur = state.withLock { $0.random.next() % 20 == 0 }
        if pickCur, let names = try? FileManager.default.contentsOfDirectory(atPath: cur.path), !names.isEmpty {
            let victim = state.withLock { names[Int($0.random.next() % UInt64(names.count))] }
            if unlink(cur.appendingPathComponent(victim).path) == 0 {
                state.withLock { $0.deletedFromCur += 1 }
            }
        }
    }

    /// Counts a newly seen file as one delivery of its hash, after checking it is whole.
    private func check(name: String, path: String) {
        let problem = Self.problem(name: name, path: path)
        state.withLock {
            if let problem { $0.problems.append(problem) }
            if name.hasSuffix(".json") {
                $0.counts["sha256:" + name.dropLast(".json".count), default: 0] += 1
            }
        }
    }

    /// Why a spool file is not a complete article record named after its hash, or nil.
    static func problem(name: String, path: String) -> String? {
        guard name.hasSuffix(".json") else { return "\(name): not named <hex>.json" }
        guard let data = FileManager.default.contents(atPath: path) else { return "\(name): unreadable" }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return "\(name): not complete JSON (\(data.count) bytes)"
        }
        let missing = recordFields.filter { object[$0] == nil }
        if !missing.isEmpty { return "\(name): missing fields \(missing)" }
        guard object["content_hash"] as? String == "sha256:" + name.dropLast(".json".count) else {
            return "\(name): content_hash \(object["content_hash"] ?? "nil") does not match the name"
        }
        guard (object["body"] as? String)?.isEmpty == false else { return "\(name): empty body" }
        return nil
    }

    /// Problems of every file now in `dir` (for the final check of `new/` and `cur/`).
    static func problems(in dir: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.compactMap { problem(name: $0, path: dir.appendingPathComponent($0).path) }
    }
}

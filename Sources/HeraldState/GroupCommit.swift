import Foundation

/// Combines concurrent calls into one batch: the first caller to find no batch running becomes
/// the leader, runs everything queued so far in one go (one transaction, one fsync) and hands
/// each caller its own result; the others wait. Every caller returns only after the batch that
/// holds its input finished, so "durable when it returns" still holds per call.
///
/// Callers block (a condition variable): use it from threads that may block (the crawl engine
/// delivers on a Dispatch queue), never where waiting would stall the work being waited for.
///
/// `@unchecked Sendable` rather than a `Mutex`: followers sleep until the leader's batch is
/// done, which needs a condition variable (`Mutex` has none); every field is guarded by it.
final class GroupCommit<Input, Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [(id: Int, input: Input)] = []
    private var results: [Int: Result<Output, any Error>] = [:]
    private var running = false
    private var nextID = 0

    /// Submits `input`; `run` executes a batch (in submission order) and must return one
    /// output per input, or throw to fail the whole batch.
    func submit(_ input: Input, run: ([Input]) throws -> [Output]) throws -> Output {
        condition.lock()
        let id = nextID
        nextID += 1
        pending.append((id, input))
        while true {
            if let result = results.removeValue(forKey: id) {
                condition.unlock()
                return try result.get()
            }
            if !running {
                running = true
                let batch = pending
                pending.removeAll()
                condition.unlock()
                let outcome = Result { try run(batch.map(\.input)) }
                condition.lock()
                switch outcome {
                case .success(let outputs) where outputs.count == batch.count:
                    for (entry, output) in zip(batch, outputs) { results[entry.id] = .success(output) }
                case .success:
                    for entry in batch { results[entry.id] = .failure(StateError.database(detail: "batch returned the wrong number of results")) }
                case .failure(let error):
                    for entry in batch { results[entry.id] = .failure(error) }
                }
                running = false
                condition.broadcast()
                continue
            }
            condition.wait()
        }
    }
}

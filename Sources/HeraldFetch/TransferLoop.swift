import CCurl
import Foundation
import Synchronization

/// curl_global_init is run once, before the first handle exists (Swift globals are lazy and
/// initialized exactly once).
private let curlGlobalInit: Int32 = Int32(bitPattern: curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue)

/// One libcurl multi handle driven by its own thread: transfers are submitted from any thread
/// and run concurrently (at most `capacity` at a time, the rest wait in FIFO order), sharing
/// the multi handle's connection and DNS caches. Results are handed back through continuations.
///
/// `@unchecked Sendable`: the multi handle and `waiting`/`active` belong to the loop thread
/// alone (other threads only call `curl_multi_wakeup`, which libcurl allows from any thread);
/// everything shared goes through `shared`.
final class TransferLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let capacity: Int

    /// What other threads hand the loop thread.
    private struct Shared {
        var incoming: [Transfer] = []
        var cancellations: [Transfer] = []
        var stopping = false
        var terminated = false
    }
    private let shared = Mutex(Shared())
    // Loop thread only:
    private var waiting: [Transfer] = []
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    init(capacity: Int) {
        _ = curlGlobalInit
        multi = curl_multi_init()
        self.capacity = max(1, capacity)
        herald_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(16, self.capacity * 2))
        let thread = Thread { [self] in run() }
        thread.name = "herald-fetch"
        thread.start()
    }

    /// Runs one transfer to completion. Cancelling the task aborts the transfer.
    func perform(_ transfer: Transfer) async -> HopOutcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                submit(transfer)
            }
        } onCancel: {
            cancel(transfer)
        }
    }

    /// Stops the loop: every waiting or running transfer finishes as cancelled, later ones too.
    func stop() {
        shared.withLock { shared in
            guard !shared.stopping else { return }
            shared.stopping = true
            if !shared.terminated { curl_multi_wakeup(multi) }
        }
    }

    private func submit(_ transfer: Transfer) {
        let refusal = shared.withLock { shared -> String? in
            if shared.stopping { return "the fetcher was shut down" }
            if transfer.cancelRequested { return "the fetch was cancelled" }
            shared.incoming.append(transfer)
            curl_multi_wakeup(multi)
            return nil
        }
        if let refusal { finish(transfer, cancelledOutcome(refusal)) }
    }

    private func cancel(_ transfer: Transfer) {
        shared.withLock { shared in
            transfer.cancelRequested = true
            shared.cancellations.append(transfer)
            if !shared.terminated { curl_multi_wakeup(multi) }
        }
    }

    private func cancelledOutcome(_ why: String) -> HopOutcome {
        var out = HopOutcome()
        out.cancelled = true
        out.errorText = why
        out.code = Int32(bitPattern: CURLE_ABORTED_BY_CALLBACK.rawValue)
        return out
    }

    private func finish(_ transfer: Transfer, _ outcome: HopOutcome) {
        let continuation = transfer.continuation
        transfer.continuation = nil
        continuation?.resume(returning: outcome)
    }

    private func run() {
        while true {
            let (incoming, cancelled, stop) = shared.withLock { shared in
                defer {
                    shared.incoming.removeAll()
                    shared.cancellations.removeAll()
                }
                return (shared.incoming, shared.cancellations, shared.stopping)
            }
            waiting += incoming

            for transfer in cancelled {
                // Identity check: a finished transfer's handle address may belong to a new one.
                if active[transfer.easy] === transfer {
                    active[transfer.easy] = nil
                    curl_multi_remove_handle(multi, transfer.easy)
                    transfer.close()
                    finish(transfer, cancelledOutcome("the fetch was cancelled"))
                } else if let i = waiting.firstIndex(where: { $0 === transfer }) {
                    waiting.remove(at: i)
                    finish(transfer, cancelledOutcome("the fetch was cancelled"))
                }
            }
            if stop { break }

            while active.count < capacity, !waiting.isEmpty {
                let transfer = waiting.removeFirst()
                active[transfer.easy] = transfer
                curl_multi_add_handle(multi, transfer.easy)
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)

            var finished: [(UnsafeMutableRawPointer, CURLcode)] = []
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                    finished.append((easy, herald_msg_result(message)))
                }
            }
            for (easy, code) in finished {
                guard let transfer = active.removeValue(forKey: easy) else { continue }
                curl_multi_remove_handle(multi, easy)
                let outcome = transfer.outcome(code: code)
                transfer.close()
                finish(transfer, outcome)
            }
            // Freed capacity: start waiting transfers right away instead of polling first.
            if !finished.isEmpty && !waiting.isEmpty { continue }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }

        for transfer in active.values {
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.close()
            finish(transfer, cancelledOutcome("the fetcher was shut down"))
        }
        active.removeAll()
        for transfer in waiting { finish(transfer, cancelledOutcome("the fetcher was shut down")) }
        waiting.removeAll()
        let late = shared.withLock { shared in
            shared.terminated = true
            defer { shared.incoming.removeAll() }
            curl_multi_cleanup(multi)
            return shared.incoming
        }
        for transfer in late { finish(transfer, cancelledOutcome("the fetcher was shut down")) }
    }
}

import CCurl
import Foundation

/// curl_global_init is run once, before the first handle exists (Swift globals are lazy and
/// initialized exactly once).
private let curlGlobalInit: Int32 = Int32(bitPattern: curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue)

/// One libcurl multi handle driven by its own thread: transfers are submitted from any thread
/// and run concurrently (at most `capacity` at a time, the rest wait in FIFO order), sharing
/// the multi handle's connection and DNS caches. Results are handed back through continuations.
final class TransferLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let capacity: Int
    private let lock = NSLock()
    // Guarded by lock:
    private var incoming: [Transfer] = []
    private var cancellations: [Transfer] = []
    private var stopping = false
    private var terminated = false
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
        lock.lock()
        defer { lock.unlock() }
        guard !stopping else { return }
        stopping = true
        if !terminated { curl_multi_wakeup(multi) }
    }

    private func submit(_ transfer: Transfer) {
        lock.lock()
        if stopping || transfer.cancelRequested {
            lock.unlock()
            finish(transfer, cancelledOutcome(stopping ? "the fetcher was shut down" : "the fetch was cancelled"))
            return
        }
        incoming.append(transfer)
        curl_multi_wakeup(multi)
        lock.unlock()
    }

    private func cancel(_ transfer: Transfer) {
        lock.lock()
        defer { lock.unlock() }
        transfer.cancelRequested = true
        cancellations.append(transfer)
        if !terminated { curl_multi_wakeup(multi) }
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
            lock.lock()
            waiting += incoming
            incoming.removeAll()
            let cancelled = cancellations
            cancellations.removeAll()
            let stop = stopping
            lock.unlock()

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
        lock.lock()
        terminated = true
        let late = incoming
        incoming.removeAll()
        curl_multi_cleanup(multi)
        lock.unlock()
        for transfer in late { finish(transfer, cancelledOutcome("the fetcher was shut down")) }
    }
}

import Dispatch

/// Runs blocking work (spool fsyncs, state transactions) on a Dispatch queue instead of the
/// cooperative pool, which has only one thread per core: a page task waiting for the disk must
/// not stop the other pages from being parsed meanwhile.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "herald.crawl.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}

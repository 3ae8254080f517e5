/// Why a crawl log operation failed; each message names the file, run or value at fault.
public enum CrawlLogError: Error, Equatable, CustomStringConvertible {
    case unknownRun(String)
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case index(path: String, reason: String)
    case alreadyFinished(String)
    case writerGone(String)
    /// A crawl's run lock could not be opened, taken or written (the message names the file).
    case lock(String)
    /// A run of the crawl is going: its lock (the path) is held.
    case busy(crawl: String, lock: String)

    public var description: String {
        switch self {
        case let .unknownRun(id): "no run with id \(id)"
        case let .cannotCreate(path, reason): "cannot create \(path): \(reason)"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case let .cannotRead(path, reason): "cannot read \(path): \(reason)"
        case let .index(path, reason): "run index \(path): \(reason)"
        case let .alreadyFinished(id): "run \(id) has already ended"
        case let .writerGone(id): "run \(id) stopped without an end: its process is gone"
        case let .lock(message): message
        case let .busy(crawl, lock):
            "crawl \(crawl) is already running (lock \(lock) is held); two runs of one crawl never overlap"
        }
    }
}

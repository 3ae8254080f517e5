/// One thing that happened during a crawl run, as the crawl engine reports it to `RunLog`.
///
/// Each page failure is one event: a `fetch` with an error kind when an HTTP exchange took place
/// (or timed out), or an `error` when the failure came after or outside a fetch (`parse_error`,
/// `spool_error`, an unreachable feed). Emitting both for one failure would count it twice.
public enum CrawlEvent: Sendable, Equatable {
    /// The run began. `configDigest` identifies the configuration and crawl definition in force
    /// (e.g. `sha256:...`), so runs with different settings can be told apart later.
    case runStart(crawl: String, configDigest: String)
    /// One HTTP request finished. `status` is nil when no response arrived (timeout, refused
    /// connection); `bytes` is the body size received; `ms` the wall time of the transfer.
    case fetch(url: String, status: Int?, bytes: Int, ms: Int, kind: OutcomeKind)
    /// An article was delivered: `hash` is its content hash, `file` its spool file.
    case article(url: String, hash: String, file: String)
    /// A fetched page was not delivered (`duplicate`, `not_article`, `empty_body`, ...), with a
    /// human-readable reason and, for duplicates, what it duplicates (URL or content hash).
    case heldBack(url: String, kind: OutcomeKind, reason: String?, duplicateOf: String?)
    /// Something failed; `url` is nil for failures of the run rather than of one page.
    case error(url: String?, kind: OutcomeKind, message: String)
    /// The run ended; the last event of every complete run file.
    case runEnd(counters: RunCounters, outcome: RunOutcome, message: String?)

    /// The `event` field of the JSON line: `run_start`, `fetch`, `article`, `held_back`,
    /// `error`, `run_end`.
    public var name: String {
        switch self {
        case .runStart: "run_start"
        case .fetch: "fetch"
        case .article: "article"
        case .heldBack: "held_back"
        case .error: "error"
        case .runEnd: "run_end"
        }
    }

    /// Whether `herald logs --errors` shows this event: error events and fetches or held-back
    /// pages with an error kind.
    public var isError: Bool {
        switch self {
        case .error: true
        case let .fetch(_, _, _, _, kind): kind.isError
        case let .heldBack(_, kind, _, _): kind.isError
        case let .runEnd(_, outcome, _): outcome != .ok
        case .runStart, .article: false
        }
    }

    /// The page this event is about, if any.
    public var url: String? {
        switch self {
        case let .fetch(url, _, _, _, _), let .article(url, _, _), let .heldBack(url, _, _, _):
            url
        case let .error(url, _, _):
            url
        case .runStart, .runEnd:
            nil
        }
    }
}

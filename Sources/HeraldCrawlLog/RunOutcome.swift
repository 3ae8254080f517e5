/// How a crawl run ended: the one vocabulary of the engine, the daemon, `herald logs` and
/// `herald status`, and the `outcome` of the run-end event. A run in the history is never
/// `busy`: that outcome means it did not start.
public enum RunOutcome: String, Codable, Sendable, CaseIterable {
    /// The run did its work; individual pages may still have failed (see the counters), also
    /// when it stopped at `max_pages` or `max_duration`.
    case ok
    /// The run itself failed: nothing could be fetched, or the spool, state or log was unusable.
    case failed
    /// The run was stopped (shutdown, signal, a dead process) before it finished; what was
    /// delivered stays delivered, the rest is fetched again next run.
    case interrupted
    /// Not started: another run of the same crawl holds its lock (in this or another process).
    case busy

    /// SPEC exit status of `herald crawl`: 0 for a run that did its work, 1 otherwise.
    public var exitStatus: Int32 { self == .ok ? 0 : 1 }
}

extension RunLog {
    /// How a crawl run ended, as recorded in its run-end event and in the index.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// The run did its work; individual pages may still have failed (see the counters).
        case ok
        /// The run itself failed: nothing could be fetched, or the spool or state was unusable.
        case failed
        /// The run was stopped (shutdown, signal, a dead process) before it finished.
        case interrupted
    }
}

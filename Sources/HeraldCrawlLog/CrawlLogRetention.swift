import HeraldFormats

extension CrawlLog {
    /// How much crawl history to keep (`log_retention`): the newest N runs of each crawl, or the
    /// runs that started within a period. Older run files and their index entries are deleted.
    /// (HeraldConfig parses the setting; this is the log's own copy so the module stands alone.)
    public enum Retention: Sendable, Equatable, CustomStringConvertible {
        /// Keep the newest `count` runs per crawl ("100 runs").
        case runs(Int)
        /// Keep runs that started less than this long ago ("30d").
        case age(Duration)

        /// The default: a hundred runs per crawl.
        public static let standard = Retention.runs(100)

        public var description: String {
            switch self {
            case let .runs(n): "\(n) runs"
            case let .age(d): DurationSyntax.format(d)
            }
        }

        /// The age limit in seconds, for date arithmetic.
        var seconds: Double? {
            guard case let .age(d) = self else { return nil }
            return d.timeInterval
        }
    }
}

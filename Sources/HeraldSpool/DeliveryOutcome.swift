import Foundation

/// What `ArticleDelivery.deliver` did with a record (failures are thrown as `SpoolError` or
/// `StateError`).
public enum DeliveryOutcome: Sendable, Equatable {
    /// Written to `new/<hex>.json`; `previousHash` is set when it supersedes an earlier version
    /// of the same canonical URL.
    case delivered(file: URL, previousHash: String?)
    /// This exact content was delivered before (in any run, from any site).
    case duplicate(ofHash: String)
    /// Held back: a near-copy (changed credit line, chrome, typo fix) of the delivered
    /// article with hash `of`.
    case nearDuplicate(of: String)

    /// The crawl-log outcome kind: `ok` or `duplicate`.
    public var kind: String {
        switch self {
        case .delivered: return "ok"
        case .duplicate, .nearDuplicate: return "duplicate"
        }
    }
}

import Foundation

/// A request to reserve a content hash for delivery: the article's hash, the canonical URL it
/// belongs to, its fingerprint, and the spool temporary file already written and synced.
public struct DeliveryClaim: Sendable, Equatable {
    public var contentHash: String
    /// Key for updates (`previous_hash`): the record's canonical URL, else its URL.
    public var canonicalURL: String?
    /// The `previous_hash` written into the temporary file; the claim fails with
    /// `.previousHashChanged` if another version was delivered in the meantime.
    public var previousHash: String?
    public var fingerprint: ContentFingerprint?
    /// Name of the synced file in the spool's `tmp/`.
    public var temporaryName: String
    /// Identifies the spool (its absolute path), so recovery only judges its own files.
    public var spool: String
    /// Hold the article back when a delivered fingerprint is at least this similar (nil: off).
    public var nearDuplicateSimilarity: Double?

    public init(contentHash: String, canonicalURL: String?, previousHash: String?,
                fingerprint: ContentFingerprint?, temporaryName: String, spool: String,
                nearDuplicateSimilarity: Double?) {
        self.contentHash = contentHash
        self.canonicalURL = canonicalURL
        self.previousHash = previousHash
        self.fingerprint = fingerprint
        self.temporaryName = temporaryName
        self.spool = spool
        self.nearDuplicateSimilarity = nearDuplicateSimilarity
    }
}

/// The answer to a `DeliveryClaim`.
public enum ClaimResult: Sendable, Equatable {
    /// Reserved: a pending delivery is committed; rename the temporary file now.
    case claimed
    /// This exact hash was delivered (or is being delivered) already.
    case duplicate
    /// Held back: the body is a near-copy of the delivered article with this hash.
    case nearDuplicate(of: String)
    /// Another version of the canonical URL was delivered since the caller looked; the
    /// temporary file carries a stale `previous_hash` and must be rewritten with this one.
    case previousHashChanged(to: String?)
}

/// A delivery whose pending entry was committed but not yet confirmed: after a crash, its
/// temporary file tells whether the rename into `new/` happened.
public struct PendingDelivery: Sendable, Equatable {
    public var contentHash: String
    public var temporaryName: String
    public var spool: String

    public init(contentHash: String, temporaryName: String, spool: String) {
        self.contentHash = contentHash
        self.temporaryName = temporaryName
        self.spool = spool
    }
}

/// What the ledger knows about one content hash.
public enum LedgerStatus: Sendable, Equatable {
    case unknown
    /// Delivered, or reserved by a pending delivery that will end up delivered or forgotten.
    case delivered
    /// Held back earlier as a near-copy of this hash.
    case nearDuplicate(of: String)
}

/// An article known to be delivered, for `SQLiteStateStore.importDelivered`.
public struct DeliveredArticle: Sendable, Equatable {
    public var contentHash: String
    public var canonicalURL: String?
    public var fingerprint: ContentFingerprint?
    public var deliveredAt: Date

    public init(contentHash: String, canonicalURL: String?, fingerprint: ContentFingerprint?, deliveredAt: Date) {
        self.contentHash = contentHash
        self.canonicalURL = canonicalURL
        self.fingerprint = fingerprint
        self.deliveredAt = deliveredAt
    }
}

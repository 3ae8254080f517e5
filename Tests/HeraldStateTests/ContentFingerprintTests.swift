import Foundation
import HeraldTestSupport
import Testing
@testable import HeraldState

@Suite("Near-duplicate fingerprints on real corpus articles")
struct ContentFingerprintTests {
    static let threshold = 0.6
    /// Corpus articles with at least 60 words, without the readability-dev test pages that
    /// reuse another page's article (judged by shared paragraphs, not by the fingerprint) or
    /// are Lorem-ipsum filler (several synthetic pages share it: true near-duplicates).
    static let articles: [CorpusArticles.Article] = {
        var kept = [CorpusArticles.Article]()
        var keptParagraphs = [Set<String>]()
        for article in CorpusArticles.zyte + CorpusArticles.readability
        where CorpusArticles.wordCount(article.body) >= 60 && !article.body.contains("Lorem ipsum") {
            let paragraphs = CorpusArticles.paragraphs(article.body)
            let reused = keptParagraphs.contains { Double($0.intersection(paragraphs).count) > 0.5 * Double(paragraphs.count) }
            if !reused {
                kept.append(article)
                keptParagraphs.append(paragraphs)
            }
        }
        return kept
    }()

    @Test func corpusIsThere() {
        #expect(CorpusArticles.zyte.count >= 90)
        #expect(Self.articles.count >= 130)
    }

    @Test(arguments: NearCopyEdit.allCases)
    func nearCopiesAreFoundThroughTheIndex(edit: NearCopyEdit) throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("fp"))
        let versions = Self.articles.map { edit.apply(to: $0.body) }
        let originals = versions.map { ContentFingerprint(body: $0.0) }
        // All originals are stored first, so each copy must find its own among all of them.
        try store.importDelivered(Self.articles.indices.map { n in
            DeliveredArticle(contentHash: "sha256:\(n)", canonicalURL: Self.articles[n].url,
                             fingerprint: originals[n], deliveredAt: Date())
        })
        var missed = [String]()
        var lowest = 1.0
        for (n, article) in Self.articles.enumerated() {
            let original = originals[n]
            let copy = ContentFingerprint(body: versions[n].1)
            lowest = min(lowest, original.similarity(to: copy))
            if try store.nearDuplicate(of: copy, minimumSimilarity: Self.threshold) != "sha256:\(n)" {
                missed.append(article.id)
            }
        }
        #expect(missed.isEmpty, "\(edit) not caught for \(missed)")
        #expect(lowest >= Self.threshold, "lowest similarity \(lowest)")
    }

    @Test func differentStoriesOfOneSiteAreNotNearDuplicates() throws {
        let bySite = Dictionary(grouping: CorpusArticles.zyte, by: \.host).values.filter { $0.count >= 2 }
        #expect(bySite.count >= 10)
        let chrome = "Home | World | Politics\n\n"
        let footer = "\n\nShare this article: Facebook Twitter Email\n\nSign up for our daily newsletter."
        for pair in bySite {
            let (a, b) = (pair[0], pair[1])
            // Same template: the same chrome around both stories must not make them one article.
            let fa = ContentFingerprint(body: chrome + a.body + footer)
            let fb = ContentFingerprint(body: chrome + b.body + footer)
            #expect(fa.similarity(to: fb) < 0.2, "\(a.host): \(fa.similarity(to: fb))")

            let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("fp"))
            #expect(try store.claim(Self.claim("sha256:a", fa)) == .claimed)
            #expect(try store.nearDuplicate(of: fb, minimumSimilarity: Self.threshold) == nil)
        }
    }

    @Test func noTwoCorpusArticlesAreNearDuplicates() {
        let prints = Self.articles.map { ($0.id, ContentFingerprint(body: $0.body)) }
        var worst = (0.0, "", "")
        for i in prints.indices {
            for j in prints.indices where j > i {
                let s = prints[i].1.similarity(to: prints[j].1)
                if s > worst.0 { worst = (s, prints[i].0, prints[j].0) }
            }
        }
        #expect(worst.0 < Self.threshold, "\(worst)")
    }

    @Test func fingerprintIsStableAcrossProcessesAndStorable() {
        let fp = ContentFingerprint(body: "The quick brown fox jumps over the lazy dog. The dog sleeps.")
        #expect(ContentFingerprint(bytes: fp.bytes) == fp)
        #expect(fp.bytes.count == 128)
        // Pinned: stored fingerprints must stay comparable after an upgrade.
        #expect(Array(fp.values.prefix(4)) == Self.pinned)
        #expect(Set(fp.bandKeys).count == ContentFingerprint.bandCount)
        // Case and punctuation do not matter; words do.
        #expect(ContentFingerprint(body: "THE QUICK brown fox -- jumps over the lazy dog; the dog sleeps") == fp)
    }

    static let pinned: [UInt16] = [2050, 8650, 8519, 4140]

    static func claim(_ hash: String, _ fp: ContentFingerprint) -> DeliveryClaim {
        DeliveryClaim(contentHash: hash, canonicalURL: nil, previousHash: nil, fingerprint: fp,
                      temporaryName: "t", spool: "/spool", nearDuplicateSimilarity: nil)
    }
}

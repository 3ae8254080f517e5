import Foundation
import HeraldExtract
import HeraldTestSupport
import HeraldXML
import Testing

/// The quality gate: body extraction scored on real pages with independent ground truth. Floors
/// are a ratchet set just under the scores reached; raise them when extraction improves.
@Suite("Body extraction quality")
struct BodyQualityTests {
    static let zyteFloors = (precision: 0.985, recall: 0.978, f1: 0.982)
    static let readabilityFloorF1 = 0.945

    @Test("zyte-dev: mean body F1 with the benchmark's shingle metric stays above the floor")
    func zyteDev() throws {
        let folder = TestPaths.corpus.appendingPathComponent("zyte-dev")
        let truthData = try Data(contentsOf: folder.appendingPathComponent("ground-truth.json"))
        let truth = try JSONDecoder().decode([String: ZytePage].self, from: truthData)
        #expect(truth.count >= 90)
        let extractor = ArticleExtractor()
        var scores: [(id: String, score: BodyScore)] = []
        for (id, page) in truth.sorted(by: { $0.key < $1.key }) {
            let gz = try [UInt8](Data(contentsOf: folder.appendingPathComponent("html/\(id).html.gz")))
            let html = try Gzip.decompress(gz)
            let body = (try? extractor.extract(bytes: html, url: page.url).body) ?? ""
            scores.append((id, BodyScore(expected: page.articleBody, extracted: body)))
        }
        let summary = BodyScore.Summary(scores.map(\.score))
        print(String(format: "zyte-dev body (%d pages): precision %.4f recall %.4f F1 %.4f",
                     scores.count, summary.precision, summary.recall, summary.f1))
        for (id, s) in scores.sorted(by: { $0.score.f1 < $1.score.f1 }).prefix(5) {
            print("  lowest: \(id.prefix(10)) F1 \(String(format: "%.3f (P %.3f R %.3f)", s.f1, s.precision, s.recall)) \(truth[id]?.url ?? "")")
        }
        #expect(summary.f1 >= Self.zyteFloors.f1)
        #expect(summary.precision >= Self.zyteFloors.precision)
        #expect(summary.recall >= Self.zyteFloors.recall)
    }

    @Test("readability-dev: body text matches Mozilla Readability's expected article content")
    func readabilityDev() throws {
        let folder = TestPaths.corpus.appendingPathComponent("readability-dev")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let extractor = ArticleExtractor()
        var scores: [BodyScore] = []
        for name in names {
            let dir = folder.appendingPathComponent(name)
            guard let page = try? Data(contentsOf: dir.appendingPathComponent("source.html")),
                  let expected = try? Data(contentsOf: dir.appendingPathComponent("expected.html")) else { continue }
            let expectedDocument = try HTMLDocument(bytes: [UInt8](expected))
            let expectedText = withExtendedLifetime(expectedDocument) { $0.root?.textContent ?? "" }
            let body = (try? extractor.extract(bytes: [UInt8](page)).body) ?? ""
            scores.append(BodyScore(expected: expectedText, extracted: body))
        }
        #expect(scores.count >= 60)
        let summary = BodyScore.Summary(scores)
        print(String(format: "readability-dev body (%d pages): precision %.4f recall %.4f F1 %.4f",
                     scores.count, summary.precision, summary.recall, summary.f1))
        #expect(summary.f1 >= Self.readabilityFloorF1)
    }

    @Test("seed page: the LBCI article's seven paragraphs and nothing of the page around them")
    func seedPage() throws {
        let seed = TestPaths.corpus.appendingPathComponent("seed")
        let expected = try JSONDecoder().decode(SeedExpectation.self, from: Data(contentsOf: seed.appendingPathComponent("lbci-putin-limo.expected.json")))
        let html = try [UInt8](Data(contentsOf: seed.appendingPathComponent("lbci-putin-limo.html")))
        let record = try ArticleExtractor().extract(bytes: html, url: expected.url)
        #expect(record.body.hasPrefix(expected.bodyStartsWith))
        #expect(record.body.components(separatedBy: "\n\n").count == expected.bodyParagraphs)
        for text in expected.bodyMustContain { #expect(record.body.contains(text), "missing \(text)") }
        for text in expected.bodyMustNotContain { #expect(!record.body.contains(text), "unwanted \(text)") }
        #expect(record.wordCount > 150)
    }
}

private struct ZytePage: Decodable {
    let articleBody: String
    let url: String
}

private struct SeedExpectation: Decodable {
    let url: String
    let bodyStartsWith: String
    let bodyParagraphs: Int
    let bodyMustContain: [String]
    let bodyMustNotContain: [String]
    enum CodingKeys: String, CodingKey {
        case url
        case bodyStartsWith = "body_starts_with"
        case bodyParagraphs = "body_paragraphs"
        case bodyMustContain = "body_must_contain"
        case bodyMustNotContain = "body_must_not_contain"
    }
}

import Foundation
import HeraldExtract
import HeraldTestSupport
import HeraldXML
import Testing

/// The seed page's own expectations, in process. Scores over the annotated corpus sets are
/// gated by `CorpusQualityTests` (HeraldCLITests), through the release binary.
@Suite("Body extraction quality")
struct BodyQualityTests {
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

import Foundation
import Testing
import HeraldTestSupport
@testable import HeraldExtract
import HeraldXML

/// Pages in legacy charsets must come out as correct UTF-8 text, whatever the declaration.
@Suite struct EncodingTests {
    /// A page whose title and paragraph are the given bytes (already in the page's charset).
    private func page(head: String, title: [UInt8], paragraph: [UInt8]) -> [UInt8] {
        // The paragraph is a sentence of its own: the body drops a repeated headline and one-word lines.
        Array("<html><head>\(head)<title>".utf8) + title + Array("</title></head><body><p>This short article, written for the test, says: ".utf8)
            + paragraph + Array(".</p></body></html>".utf8)
    }

    private func extract(_ bytes: [UInt8], httpCharset: String? = nil) throws -> ArticleRecord {
        try ArticleExtractor().extract(bytes: bytes, url: "https://example.com/a", httpCharset: httpCharset)
    }

    @Test("legacy charsets declared by <meta charset> decode to the right text",
          arguments: [
            // (declared label, text, its bytes in that charset)
            ("windows-1252", "Café “Zürich” – 5 €", [0x43, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x5A, 0xFC, 0x72, 0x69, 0x63, 0x68, 0x94, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80] as [UInt8]),
            ("iso-8859-1", "Señor Ålborg", [0x53, 0x65, 0xF1, 0x6F, 0x72, 0x20, 0xC5, 0x6C, 0x62, 0x6F, 0x72, 0x67]),
            ("ISO-8859-2", "Łódź", [0xA3, 0xF3, 0x64, 0xBC]),
            ("iso-8859-7", "Αθήνα", [0xC1, 0xE8, 0xDE, 0xED, 0xE1]),
            ("Shift_JIS", "日本語", [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]),
            ("gb2312", "中文", [0xD6, 0xD0, 0xCE, 0xC4]),
            ("GBK", "北京", [0xB1, 0xB1, 0xBE, 0xA9]),
            ("gb18030", "中文", [0xD6, 0xD0, 0xCE, 0xC4]),
            ("euc-kr", "한국어", [0xC7, 0xD1, 0xB1, 0xB9, 0xBE, 0xEE]),
            ("koi8-r", "Привет", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]),
            ("windows-1251", "Москва", [0xCC, 0xEE, 0xF1, 0xEA, 0xE2, 0xE0]),
          ])
    func metaCharset(label: String, text: String, bytes: [UInt8]) throws {
        let record = try extract(page(head: "<meta charset=\"\(label)\">", title: bytes, paragraph: bytes))
        #expect(record.title == text)
        #expect(record.body.contains(text))
    }

    @Test func httpEquivDeclaration() throws {
        let bytes: [UInt8] = [0xCC, 0xEE, 0xF1, 0xEA, 0xE2, 0xE0] // "Москва" in windows-1251
        let head = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
        #expect(try extract(page(head: head, title: bytes, paragraph: bytes)).title == "Москва")
    }

    @Test func declarationAfterLongScriptIsStillFound() throws {
        let filler = "<script>" + String(repeating: "var x = 1;\n", count: 150) + "</script>"
        let bytes: [UInt8] = [0xE9, 0x74, 0xE9] // "été" in latin-1
        let record = try extract(page(head: filler + "<meta charset=iso-8859-1>", title: bytes, paragraph: bytes))
        #expect(record.title == "été")
    }

    @Test func httpCharsetWinsOverPageDeclaration() throws {
        let bytes: [UInt8] = [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] // "Привет" in KOI8-R
        let record = try extract(page(head: "<meta charset=\"windows-1252\">", title: bytes, paragraph: bytes),
                                 httpCharset: "KOI8-R")
        #expect(record.title == "Привет")
    }

    @Test func utf8DeclaredPageStaysUTF8EvenIfHTTPSaysLatin1ButBOMSaysUTF8() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let bytes = bom + page(head: "<meta charset=\"iso-8859-1\">", title: Array("Grüße".utf8), paragraph: Array("Grüße".utf8))
        let record = try extract(bytes, httpCharset: "iso-8859-1")
        #expect(record.title == "Grüße")
    }

    @Test func utf16WithBOMDecodes() throws {
        let html = "<html><head><title>Ünïcödé 中文</title></head><body><p>x</p></body></html>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in html.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
        #expect(try extract(bytes).title == "Ünïcödé 中文")
    }

    @Test func undeclaredPageIsReadAsUTF8() throws {
        let record = try extract(page(head: "", title: Array("Ελληνικά".utf8), paragraph: Array("ok".utf8)))
        #expect(record.title == "Ελληνικά")
    }

    @Test func invalidUTF8BytesBecomeReplacementCharacters() throws {
        let bad: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" ok ".utf8) + [0xFF, 0xC3] + Array(" end".utf8)
        let record = try extract(page(head: "<meta charset=utf-8>", title: bad, paragraph: bad))
        #expect(record.title == "Caf\u{FFFD} ok \u{FFFD}\u{FFFD} end")
    }

    @Test func bytesUndefinedInTheCharsetBecomeReplacementCharacters() throws {
        // 0x81 0x39 is an incomplete GB18030 four-byte sequence; Shift_JIS 0xA0 is undefined.
        let gb: [UInt8] = [0xD6, 0xD0, 0x81, 0x39, 0xCE, 0xC4]
        let record = try extract(page(head: "<meta charset=gb18030>", title: gb, paragraph: gb))
        #expect(record.title?.hasPrefix("中") == true)
        #expect(record.title?.contains("\u{FFFD}") == true)
        #expect(record.title?.hasSuffix("文") == true)
        let sjis: [UInt8] = [0x93, 0xFA, 0xA0, 0x96, 0x7B]
        #expect(try extract(page(head: "<meta charset=shift_jis>", title: sjis, paragraph: sjis)).title == "日\u{FFFD}本")
    }

    @Test func unknownCharsetFallsBackToUTF8() throws {
        let record = try extract(page(head: "<meta charset=\"x-made-up\">", title: Array("naïve".utf8), paragraph: Array("x".utf8)))
        #expect(record.title == "naïve")
    }

    @Test func truncatedAndGarbagePagesNeverCrash() throws {
        let seed = TestPaths.corpus.appendingPathComponent("seed/lbci-putin-limo.html")
        let bytes = [UInt8](try Data(contentsOf: seed))
        // A page cut anywhere (a truncated download) still gives a record.
        for cut in stride(from: 200, to: bytes.count, by: 97) {
            _ = try ArticleExtractor().extract(bytes: Array(bytes[..<cut]), url: "https://example.com/a")
        }
        // Random bytes in a declared multi-byte charset: decoded with replacements, never an error.
        var generator = SeededRandom.forTest("charset noise")
        for _ in 0..<50 {
            let noise = (0..<512).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try ArticleExtractor().extract(bytes: Array("<meta charset=shift_jis><title>x".utf8) + noise)
        }
    }

    @Test func prescanIgnoresCommentedOutDeclarations() {
        let bytes = Array("<!-- <meta charset=koi8-r> --><meta charset=\"windows-1251\">".utf8)
        #expect(PageDecoder.declaredCharset(bytes) == "windows-1251")
    }

    @Test func charsetDecoderReportsUnknownCharsets() {
        #expect(CharsetDecoder.decode([0x41], from: "NO-SUCH-CHARSET") == nil)
        #expect(CharsetDecoder.decode([0x41, 0xE9], from: "ISO-8859-1") == Array("Aé".utf8))
    }
}

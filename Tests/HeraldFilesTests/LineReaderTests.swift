import Foundation
import HeraldFiles
import Testing

/// Lines out of a stream that arrives in arbitrary pieces.
@Suite("Line reader")
struct LineReaderTests {
    private func text(_ lines: [Data]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    @Test("a partial last line waits for its newline, or for the end of the input")
    func partialLine() {
        var reader = LineReader()
        #expect(text(reader.feed(Data("one\ntw".utf8), final: false)) == ["one"])
        #expect(text(reader.feed(Data("o\nthr".utf8), final: false)) == ["two"])
        #expect(text(reader.feed(Data("ee".utf8), final: true)) == ["three"])
        #expect(reader.feed(Data(), final: true).isEmpty)
    }

    @Test("CRLF ends a line like LF; empty lines are skipped")
    func crlf() {
        #expect(text(LineReader.lines(in: Data("a\r\nb\n\r\n\nc\r\n".utf8))) == ["a", "b", "c"])
    }

    @Test("a CR split from its LF across pieces is still dropped")
    func splitCRLF() {
        var reader = LineReader()
        #expect(reader.feed(Data("a\r".utf8), final: false).isEmpty)
        #expect(text(reader.feed(Data("\nb".utf8), final: true)) == ["a", "b"])
    }

    @Test("every split of the input gives the same lines")
    func anySplit() {
        let input = Data("{\"a\":1}\r\n{\"b\":2}\n\n{\"c\":3}".utf8)
        for cut in 0...input.count {
            var reader = LineReader()
            let lines = reader.feed(input.prefix(cut), final: false) + reader.feed(input.dropFirst(cut), final: true)
            #expect(text(lines) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        }
    }
}

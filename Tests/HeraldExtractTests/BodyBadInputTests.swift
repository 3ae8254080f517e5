import HeraldExtract
import HeraldTestSupport
import Testing

/// Pages that are not articles, or are hostile: each gives a record (or a clear error) quickly,
/// without a crash, a hang or a blown stack.
@Suite("Body extraction on bad input")
struct BodyBadInputTests {
    @Test("an empty file is a clear error")
    func emptyFile() {
        #expect(throws: ExtractionError.emptyInput) { try ArticleExtractor().extract(bytes: []) }
    }

    @Test("binary garbage gives a record with an empty body, or an error, and no crash")
    func binaryGarbage() {
        var generator = SeededRandom.forTest("binary garbage")
        var bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0x00
        let record = try? ArticleExtractor().extract(bytes: bytes)
        #expect(record?.body ?? "" == "", "seed \(generator.seed)")
    }

    @Test("an article after a stray </body> (a template include, a page saved inside a wrapper) is found whole")
    func articleAfterStrayBodyEnd() throws {
        let paragraph = "<p>The harbour council met on Tuesday evening, and after a long debate it agreed to keep the winter ferry timetable for another year, citing the commuters who depend on it.</p>"
        for prefix in ["<html><head><title>Ferry kept</title></head><body><nav><a href='/'>Home</a></nav></body>",
                       "<html><head><title>Ferry kept</title></head><body></body></html>",
                       "<text id='page' title='Ferry kept'></body>"] {
            let html = prefix + "<div class='story'><h1>Ferry timetable kept</h1>" + String(repeating: paragraph, count: 4) + "</div>"
            let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
            #expect(record.body.components(separatedBy: "harbour council").count == 5, "\(prefix)")
        }
    }

    @Test("100,000 nested <div>s do not overflow the stack")
    func deeplyNested() throws {
        // libxml2 stops building the tree at its depth limit (256); what came before is kept.
        let depth = 100_000
        let html = "<html><body><p>Before the deep part, a sentence long enough to be a paragraph.</p>"
            + String(repeating: "<div>", count: depth)
            + "<p>Deep inside, a sentence that is long enough to count as a paragraph of prose, with commas, and more.</p>"
            + String(repeating: "</div>", count: depth) + "</body></html>"
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        #expect(record.body.hasPrefix("Before the deep part"))
    }

    @Test("a frameset-only page gives a record with an empty body")
    func framesetOnly() throws {
        let html = "<html><head><title>Frames</title></head><frameset cols=\"50%,50%\"><frame src=\"a.html\"><frame src=\"b.html\"></frameset></html>"
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        #expect(record.body == "")
        #expect(record.wordCount == 0)
    }

    @Test("a page that is only JavaScript gives an empty body, not the script")
    func javascriptOnly() throws {
        let html = "<html><head><script>document.write('<p>' + 'generated text, long enough to look like a paragraph of news' + '</p>');</script></head><body><script>var app = {start: function() { return 'client side rendering' }};</script><noscript>Please enable JavaScript to read this site.</noscript></body></html>"
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        #expect(record.body == "")
    }

    @Test("a 50 MB page (an article buried in inline script and comments) gives the article")
    func hugePage() throws {
        // The full-prose 50 MB case is timed in herald-bench; a debug build would take too long.
        let story = BodyExtractionTests.story.map { "<p>\($0)</p>" }.joined()
        let filler = String(repeating: "var x = [1, 2, 3]; // padding padding padding padding\n", count: 16)
        let chunk = "<script>" + filler + "</script><!-- " + filler + " -->\n"
        let html = "<html><body>" + String(repeating: chunk, count: 50_000_000 / chunk.utf8.count)
            + "<article>" + story + "</article></body></html>"
        #expect(html.utf8.count > 49_000_000)
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        #expect(record.body == BodyExtractionTests.story.joined(separator: "\n\n"))
    }
}

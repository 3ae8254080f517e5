import HeraldExtract
import Testing

/// The self-check and the cascade, through the public API: pages built so that the main
/// answer is wrong in one of the ways the check names, each answered by the fallback meant for it.
@Suite("Body self-check and fallbacks")
struct BodyCascadeTests {
    static let story = BodyExtractionTests.story

    static func paragraphs(_ texts: [String]) -> String { texts.map { "<p>\($0)</p>" }.joined(separator: "\n") }

    static let links = (1...12).map { "<li><a href=\"/s/\($0)\">Another headline from the news desk number \($0)</a></li>" }.joined()

    @Test("a page whose main answer passes the check is not second-guessed, and --explain says so")
    func passingPage() throws {
        let html = BodyExtractionTests.page(article: "<div class=\"article-body\">\(Self.paragraphs(Self.story))</div>")
        let (record, explanation) = try ArticleExtractor().explain(bytes: Array(html.utf8))
        let e = try #require(explanation)
        #expect(e.strategy == .knownContainer)
        #expect(e.checks.isEmpty)
        #expect(e.candidates.first?.verdict.hasPrefix("chosen") == true)
        #expect(e.candidates.first?.xpath.first?.hasPrefix("/html/body/") == true)
        #expect(record.body.hasPrefix(Self.story[0]))
        // explain weighs the same answer that extract gives.
        #expect(try ArticleExtractor().extract(bytes: Array(html.utf8)).body == record.body)
    }

    @Test("a known container holding only a caption loses to the story in ordinary paragraphs elsewhere")
    func captionInsteadOfStory() throws {
        let html = """
            <html><head><title>Council approves transit plan</title></head><body>
            <h1>Council approves transit plan</h1>
            <div class="article-body"><p>A photo of the council chamber during the vote, taken from the public gallery on Tuesday evening by our photographer.</p>
            <p>The council chamber, with the members voting, seen from the gallery where residents followed the debate that evening.</p></div>
            <div class="col">\(Self.paragraphs(Self.story + Self.story.map { "Later, " + $0 }))</div>
            <ul>\(Self.links)</ul>
            </body></html>
            """
        let (record, explanation) = try ArticleExtractor().explain(bytes: Array(html.utf8))
        let e = try #require(explanation)
        #expect(!e.checks.isEmpty)
        #expect(e.strategy != .knownContainer)
        for p in Self.story { #expect(record.body.contains(p)) }
        #expect(try ArticleExtractor().extract(bytes: Array(html.utf8)).body == record.body)
    }

    @Test("article paragraphs between the headline and the chosen container are put back (mid-story start)")
    func midStory() throws {
        let html = """
            <html><head><title>Council approves transit plan</title></head><body><div class="page">
            <h1>Council approves transit plan</h1>
            <div class="intro">\(Self.paragraphs(Array(Self.story[0..<2])))</div>
            <div class="article-body">\(Self.paragraphs(Array(Self.story[2...]) + ["The authority will publish the detailed timetable for the new lines in the autumn, after a consultation with residents."]))</div>
            </div></body></html>
            """
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        #expect(record.body.hasPrefix(Self.story[0]))
        for p in Self.story { #expect(record.body.contains(p)) }
        let e = try #require(try ArticleExtractor().explain(bytes: Array(html.utf8)).explanation)
        #expect(e.checks.contains { $0.hasPrefix("mid-story") })
    }

    @Test("when cleaning takes the story with it (a furniture class name), a gentler cleaning brings it back")
    func cleaningRemovedStory() throws {
        let html = """
            <html><head><title>Council approves transit plan</title></head><body>
            <div class="promo-box">\(Self.paragraphs(Self.story + Self.story.map { "Meanwhile, " + $0 }))</div>
            <div class="menu-list"><ul>\(Self.links)</ul></div><div class="more"><ul>\(Self.links)</ul></div>
            <div class="more"><ul>\(Self.links)</ul></div><div class="more"><ul>\(Self.links)</ul></div>
            <div class="more"><ul>\(Self.links)</ul></div>
            <p>Short line.</p>
            </body></html>
            """
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        for p in Self.story { #expect(record.body.contains(p)) }
        let e = try #require(try ArticleExtractor().explain(bytes: Array(html.utf8)).explanation)
        #expect(e.checks.contains { $0.hasPrefix("cleaning removed") })
        #expect(e.strategy == .gentleCleaning)
    }

    @Test("an unterminated <title> does not swallow the page: title and body both come through")
    func unterminatedTitle() throws {
        let html = "<html><head><title>Council approves transit plan - Daily Example\n<meta name=x content=y></head><body>"
            + "<div class=\"article-body\">\(Self.paragraphs(Self.story))</div></body></html>"
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8))
        #expect(record.title == "Council approves transit plan")
        #expect(record.body.hasPrefix(Self.story[0]))
    }

    @Test("--explain lists at most 20 XPaths per candidate, then how many more")
    func explainCapsPaths() throws {
        let paragraphs = (1...30).map { "Paragraph \($0) of the story, with enough words in it to count as running prose for the reader." }
        let html = "<html><head><title>A long story</title></head><body><div>\(Self.paragraphs(paragraphs))</div></body></html>"
        let e = try #require(try ArticleExtractor().explain(bytes: Array(html.utf8)).explanation)
        let baseline = try #require(e.candidates.first { $0.strategy == .baseline })
        #expect(baseline.xpath.count == 21)
        #expect(baseline.xpath.first == "/html/body/div/p[1]")
        #expect(baseline.xpath.last == "... and 10 more")
    }

    @Test("JSON-LD articleBody replaces the visible story only when far longer, never for matching the headline")
    func structuredDataOnlyWhenLonger() throws {
        let visible = ["Residents packed the hall on Tuesday evening as members debated for hours before the final count.",
                       "Opponents promised to keep campaigning against the decision, while supporters celebrated outside.",
                       "The next meeting is scheduled for the first week of March, officials said afterwards."]
        let ldSame = "Council approves transit plan after long debate. " + visible.joined(separator: " ")
        func page(_ articleBody: String) -> String {
            let ld = #"{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council approves transit plan","articleBody":"\#(articleBody)"}"#
            return "<html><head><title>Council approves transit plan</title><script type=\"application/ld+json\">\(ld)</script></head><body>"
                + "<div class=\"article-body\">\(Self.paragraphs(visible))</div></body></html>"
        }
        let sameLength = try ArticleExtractor().extract(bytes: Array(page(ldSame).utf8))
        #expect(sameLength.body.hasPrefix(visible[0]))
        let longer = ldSame + " " + Self.story.joined(separator: " ") + " " + Self.story.joined(separator: " ")
        let teaser = try ArticleExtractor().extract(bytes: Array(page(longer).utf8))
        #expect(teaser.body.contains(Self.story[0]))
    }
}

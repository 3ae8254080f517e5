import Testing
@testable import HeraldExtract

/// Which title source wins and what is cut from it: the publisher's declared headline when it
/// is a wording of the page's own title, without the site's name on either side.
@Suite struct TitleRulesTests {
    private func title(_ head: String, body: String = "<p>x</p>", url: String = "https://www.example.com/a/b.html") throws -> String? {
        try ArticleExtractor().extract(bytes: Array("<html><head>\(head)</head><body>\(body)</body></html>".utf8), url: url).title
    }

    @Test("a segment naming the site goes, on either side", arguments: [
        "Senate passes the budget | The Paper", "The Paper | Senate passes the budget",
        "Senate passes the budget - The Paper", "The Paper » Senate passes the budget",
    ])
    func siteSegmentOnEitherSide(documentTitle: String) throws {
        let head = "<title>\(documentTitle)</title><meta property=\"og:site_name\" content=\"The Paper\">"
        #expect(try title(head) == "Senate passes the budget")
    }

    @Test func theDeclaredHeadlineWinsWhenItIsAWordingOfThePagesTitle() throws {
        let head = """
            <title>Twitter Lite se estrena en México, Venezuela y otros nueve países - CNET en Español</title>
            <meta property="og:title" content="Twitter Lite se estrena en México, Venezuela y otros nueve países">
            <meta name="twitter:title" content="Twitter Lite se estrena en 11 países de América Latina">
            """
        let body = "<h1>Twitter Lite se estrena en 11 países de América Latina</h1><p>x</p>"
        #expect(try title(head, body: body) == "Twitter Lite se estrena en México, Venezuela y otros nueve países")
    }

    @Test func jsonLDHeadlineComesBeforeOgTitle() throws {
        let head = """
            <title>How to watch the 21 best films of 2017 - Vox</title>
            <meta property="og:title" content="The 21 best movies of 2017">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"How to watch the 21 best films of 2017"}</script>
            """
        #expect(try title(head, body: "<h1>The 21 best movies of 2017</h1>") == "How to watch the 21 best films of 2017")
    }

    @Test func aSectionWithTheSitesNameInBracketsIsTheSite() throws {
        let head = "<title>Chapter 1 - A Story - Author | Boku no Hero Academia | My Hero Academia [Story Archive]</title>"
        let body = "<h1><a href=\"/\">Story Archive</a></h1><p>x</p>"
        #expect(try title(head, body: body) == "Chapter 1 - A Story - Author | Boku no Hero Academia")
    }

    @Test func aHeadingLinkingToADirectoryIndexIsNotTakenForTheSite() throws {
        let head = "<title>Evolve: Shared Mutable History — evolve extension for Mercurial</title>"
        let body = "<h1><a href=\"index.html\">evolve extension for Mercurial</a></h1><p>x</p>"
        #expect(try title(head, body: body) == "Evolve: Shared Mutable History — evolve extension for Mercurial")
    }
}

import HeraldExtract
import Testing

/// What the body extractor keeps and drops, on small pages built to show one rule each.
@Suite("Body extraction rules")
struct BodyExtractionTests {
    static let story = [
        "The city council voted on Tuesday to approve the new transit plan, which adds three bus lines and extends the tram to the airport by 2027.",
        "Supporters said the plan would cut commuting times for tens of thousands of residents, while critics questioned the cost, estimated at 1.2 billion dollars.",
        "The mayor, who campaigned on the promise, called the vote a turning point for the region and thanked the residents who came to the hearings.",
        "Construction on the first bus line is expected to begin next spring, according to the transit authority, with the tram works following a year later.",
    ]

    static func page(article: String, around: String = "") -> String {
        """
        <html><head><title>Council approves transit plan | Daily Example</title></head><body>
        <header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
        <div class="layout"><div class="main-column">
        <article class="story">
        <h1>Council approves transit plan</h1>
        <div class="byline">By Jane Reporter, March 3, 2024</div>
        <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>
        \(article)
        </article></div>
        \(around)
        <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Storm closes schools across the county</a></li><li><a href="/b">Local team wins the cup</a></li></ul></aside>
        </div>
        <footer><p>Copyright 2024 Daily Example. All rights reserved.</p></footer>
        <div class="cookie-banner"><p>We use cookies to improve your experience on our website.</p></div>
        <script>var tracking = "should never appear in the body";</script>
        </body></html>
        """
    }

    func body(_ html: String) throws -> String {
        try ArticleExtractor().extract(bytes: Array(html.utf8)).body
    }

    @Test("paragraphs come out in order, one blank line apart, without the page around them")
    func paragraphsOnly() throws {
        let html = Self.page(article: Self.story.map { "<p>\($0)</p>" }.joined(separator: "\n"))
        #expect(try body(html) == Self.story.joined(separator: "\n\n"))
    }

    @Test("share bars, related lists, newsletter promos, captions and comments are dropped")
    func boilerplateDropped() throws {
        let article = """
        <p>\(Self.story[0])</p>
        <figure><img src="a.jpg"><figcaption>The council chamber on Tuesday. Photo: John Photographer</figcaption></figure>
        <p>\(Self.story[1])</p>
        <div class="related-articles"><h4>Related</h4><ul><li><a href="/x">Transit plan faces new delays in committee</a></li><li><a href="/y">Airport tram: what we know so far</a></li></ul></div>
        <div class="newsletter-signup"><p>Sign up for our morning newsletter and get the news first.</p></div>
        <p>\(Self.story[2])</p>
        <p>\(Self.story[3])</p>
        <div id="comments"><div class="comment"><p>Great news, finally, after years of waiting for this plan to pass the council.</p></div></div>
        """
        let text = try body(Self.page(article: article))
        #expect(text == Self.story.joined(separator: "\n\n"))
        for unwanted in ["Photo", "Related", "newsletter", "Great news", "Share", "Most read", "cookies", "Copyright", "tracking", "By Jane"] {
            #expect(!text.contains(unwanted), "unwanted \(unwanted)")
        }
    }

    @Test("hidden elements (hidden, aria-hidden, display:none) are not text")
    func hiddenDropped() throws {
        let article = """
        <p>\(Self.story[0])</p>
        <p hidden>Secret hidden attribute text that readers never see on the page.</p>
        <div aria-hidden="true"><p>Text only for sighted layout, hidden from assistive technology users.</p></div>
        <div style="display: none"><p>Invisible text styled away with an inline display none rule.</p></div>
        <p>\(Self.story[1])</p>
        """
        #expect(try body(Self.page(article: article)) == Self.story[0...1].joined(separator: "\n\n"))
    }

    @Test("text in <div>s separated by <br>s becomes paragraphs")
    func brSeparatedText() throws {
        let article = "<div class=\"txt\">\(Self.story[0])<br><br>\(Self.story[1])<br><br>\(Self.story[2])<br/><br/>\(Self.story[3])</div>"
        #expect(try body(Self.page(article: article)) == Self.story.joined(separator: "\n\n"))
    }

    @Test("headings, lists, block quotes and tables inside the article stay, in order")
    func structureKept() throws {
        let article = """
        <p>\(Self.story[0])</p>
        <h2>What changes for riders</h2>
        <ul><li>Three new bus lines in the north, east and west</li><li>A tram to the airport, every ten minutes</li></ul>
        <blockquote><p>This is the biggest investment in transit in a generation, and it will pay off, she said.</p></blockquote>
        <table><tr><th>Line</th><th>Opens</th></tr><tr><td>Bus 12</td><td>2025</td></tr><tr><td>Tram T3</td><td>2027</td></tr></table>
        <pre>route 12:  north -> east
        route T3:  city -> airport</pre>
        <p>\(Self.story[1])</p>
        """
        let text = try body(Self.page(article: article))
        let expected = [Self.story[0], "What changes for riders", "Three new bus lines in the north, east and west",
                        "A tram to the airport, every ten minutes",
                        "This is the biggest investment in transit in a generation, and it will pay off, she said.",
                        "Line Opens", "Bus 12 2025", "Tram T3 2027",
                        "route 12: north -> east\nroute T3: city -> airport", Self.story[1]]
        #expect(text == expected.joined(separator: "\n\n"))
    }

    @Test("an article split over sibling blocks without a known container is found whole")
    func siblingsMerged() throws {
        let html = """
        <html><body><div id="top"><a href="/">Home</a> | <a href="/about">About</a> | <a href="/contact">Contact</a></div>
        <div id="wrap"><div class="c1"><p>\(Self.story[0])</p><p>\(Self.story[1])</p></div>
        <div class="c1"><p>\(Self.story[2])</p><p>\(Self.story[3])</p></div></div>
        <div id="links"><a href="/1">Older posts and more archives</a> <a href="/2">Newer posts</a></div></body></html>
        """
        #expect(try body(html) == Self.story.joined(separator: "\n\n"))
    }

    @Test("embedded posts are kept even in furniture-named wrappers; galleries inside the body are not")
    func embedsAndGalleries() throws {
        let article = """
        <div itemprop="articleBody">
        <p>\(Self.story[0])</p>
        <div class="social-embed"><blockquote class="twitter-tweet"><p>Finally a tram to the airport, what a day for this city and everyone who lives here</p>— Rider (@rider) March 3, 2024</blockquote></div>
        <p>\(Self.story[1])</p>
        <div class="inline-gallery"><h3>In pictures</h3><div><p>1/3 The old tram depot on the east side of the city, before works started</p></div><div><p>2/3 Commuters waiting at the central station during the rush hour on Monday</p></div></div>
        </div>
        """
        let text = try body(Self.page(article: article))
        #expect(text.contains("Finally a tram to the airport"))
        #expect(!text.contains("In pictures"))
        #expect(!text.contains("tram depot"))
    }

    @Test("bylines and datelines before the story, wire credits and newsletter pitches after it are left out")
    func bylinesAndCredits() throws {
        let article = """
        <div class="article-body">
        <p>By Jane Reporter</p>
        <p>Updated at 1:23 p.m.</p>
        <p>March 3, 2024, 11:06am</p>
        \(Self.story.map { "<p>\($0)</p>" }.joined())
        <p>(Reporting by Jane Reporter; Editing by John Editor)</p>
        <p>Get the latest updates right in your inbox. Subscribe to our newsletters.</p>
        </div>
        """
        #expect(try body(Self.page(article: article)) == Self.story.joined(separator: "\n\n"))
    }

    @Test("short opening sentences that merely mention a year or start with 'By' are story, not byline")
    func shortOpeningsKept() throws {
        let openings = ["It began in 2019.", "By the end, all agreed."]
        let article = "<div class=\"article-body\">" + (openings + Self.story).map { "<p>\($0)</p>" }.joined() + "</div>"
        #expect(try body(Self.page(article: article)) == (openings + Self.story).joined(separator: "\n\n"))
    }

    @Test("class names: a furniture word first makes furniture; ids made from headings are not judged by their words")
    func classNameReading() throws {
        let article = """
        <div class="article-body">
        <div id="the-shared-history-of-the-plan"><p>\(Self.story[0])</p><p>\(Self.story[1])</p></div>
        <div class="related-content"><p>Another story about transit, with a long summary sentence, commas, and detail that reads like prose.</p></div>
        <p>\(Self.story[2])</p><p>\(Self.story[3])</p>
        </div>
        """
        #expect(try body(Self.page(article: article)) == Self.story.joined(separator: "\n\n"))
    }

    @Test("a JSON-LD articleBody replaces the markup's text only when clearly longer")
    func structuredBody() throws {
        func page(articleBody: String, markup: String) -> String {
            """
            <html><head><script type="application/ld+json">
            {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council approves transit plan",
             "articleBody": "\(articleBody)"}
            </script></head><body><article>\(markup)</article></body></html>
            """
        }
        let full = Self.story.joined(separator: "\\n")
        let teaser = "<p>\(Self.story[0])</p><p>Subscribe to read the rest of this story.</p>"
        let fromStructured = try body(page(articleBody: full, markup: teaser))
        #expect(fromStructured == Self.story.joined(separator: "\n\n"))
        let fromMarkup = try body(page(articleBody: Self.story[0], markup: Self.story.map { "<p>\($0)</p>" }.joined()))
        #expect(fromMarkup == Self.story.joined(separator: "\n\n"))
    }

    @Test("a crawl's body XPath wins and may select what cleaning would drop")
    func bodyOverride() throws {
        let html = Self.page(article: Self.story.map { "<p>\($0)</p>" }.joined(),
                             around: "<aside class=\"sidebar\"><div class=\"promo\"><p>Chosen text</p><p>More chosen text</p><script>x()</script></div></aside>")
        let extractor = ArticleExtractor(overrides: .init(body: "//div[@class='promo']"))
        let record = try extractor.extract(bytes: Array(html.utf8))
        #expect(record.body == "Chosen text\n\nMore chosen text")
        let fallback = ArticleExtractor(overrides: .init(body: "//div[@class='no-such-thing']"))
        #expect(try fallback.extract(bytes: Array(html.utf8)).body == Self.story.joined(separator: "\n\n"))
    }
}

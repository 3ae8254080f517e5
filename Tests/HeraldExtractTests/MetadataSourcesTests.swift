import Testing
@testable import HeraldExtract

/// Meta tags, microdata and the visible page fill the record when structured data is missing;
/// titles lose their site-name suffix; bylines become clean name lists; links become absolute.
@Suite struct MetadataSourcesTests {
    private func extract(_ html: String, url: String? = "https://www.example.com/news/story.html") throws -> ArticleRecord {
        try ArticleExtractor().extract(bytes: Array(html.utf8), url: url)
    }

    @Test("site-name suffixes and prefixes are removed from titles", arguments: [
        ("Putin gives Kim a limo | LBCI Lebanon", "LBCI Lebanon", "Putin gives Kim a limo"),
        ("Obama admits US gun laws are his 'biggest frustration' - BBC News", "BBC", "Obama admits US gun laws are his 'biggest frustration'"),
        ("BBC News - Obama admits gun laws frustrate him", "BBC News", "Obama admits gun laws frustrate him"),
        ("Un troisième Français mort — Libération", "Libération", "Un troisième Français mort"),
        ("Minecraft 1.8 - The Bountiful Update", "Minecraft Update News", "Minecraft 1.8 - The Bountiful Update"),
    ])
    func titleSuffix(title: String, site: String, expected: String) throws {
        let html = "<html><head><title>\(title)</title><meta property=\"og:site_name\" content=\"\(site)\"></head><body><p>x</p></body></html>"
        #expect(try extract(html).title == expected)
    }

    @Test func titleSuffixGoesWhenAHeadingConfirmsIt() throws {
        let html = "<html><head><title>Lorem ipsum dolor sit amet :: Some Blog</title></head><body><h1><a href=\"/\">Some Blog</a></h1><h1>Lorem ipsum dolor sit amet</h1></body></html>"
        #expect(try extract(html).title == "Lorem ipsum dolor sit amet")
    }

    @Test func titleTheVisibleHeadlineAndDocumentTitleAgreeOnWins() throws {
        // og:title is a social-media variant; <title> and <h1> agree on the headline.
        let html = """
            <html><head><title>The Deck of Cards That Made Tarot Famous - Atlas Obscura</title>
            <meta property="og:title" content="If You Can Picture A Tarot Card, Thank These People">
            <meta property="og:site_name" content="Atlas Obscura"></head>
            <body><h1>The Deck of Cards That Made Tarot Famous</h1><h1>See Fewer Ads</h1><p>x</p></body></html>
            """
        #expect(try extract(html).title == "The Deck of Cards That Made Tarot Famous")
    }

    @Test func aSectionLabelHeadingIsNotTheTitle() throws {
        let html = """
            <html><head><title>Politics | Senate passes the budget after a long night | The Paper</title>
            <meta property="og:site_name" content="The Paper"></head>
            <body><h1>Politics</h1><p>x</p></body></html>
            """
        #expect(try extract(html).title == "Politics | Senate passes the budget after a long night")
    }

    @Test func titleTheAuthorsNameIsNotPartOfIt() throws {
        let html = """
            <html><head><title>Get your Frontend JavaScript Code Covered | Nicolas Perriault</title>
            <meta name="author" content="Nicolas Perriault"></head><body><p>x</p></body></html>
            """
        #expect(try extract(html).title == "Get your Frontend JavaScript Code Covered")
    }

    @Test func titleSuffixNamedAfterTheHostGoes() throws {
        let html = "<html><head><title>Mozilla - Wikipedia</title></head><body><p>x</p></body></html>"
        #expect(try extract(html, url: "https://en.wikipedia.org/wiki/Mozilla").title == "Mozilla")
    }

    @Test("bylines become names", arguments: [
        ("By Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Von Max Mustermann und Erika Musterfrau", ["Max Mustermann", "Erika Musterfrau"]),
        ("Par Sébastien Farcis", ["Sébastien Farcis"]),
        ("Por María García y José López", ["María García", "José López"]),
        ("Martin Untersinger (avec Damien Leloup et Morgane Tual)", ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
        ("By Brenda  Goodman, MA\n   WebMD Health News", ["Brenda Goodman"]),
        ("by Lucas Nolan22 Dec 2016", ["Lucas Nolan"]),
        ("Richard (R.J.) Eskow", ["Richard (R.J.) Eskow"]),
        ("Written by: Alex Heath | The Verge", ["Alex Heath"]),
        ("TOM KRISHER, AP Auto Writer", ["TOM KRISHER"]),
        ("Troy L. Smith, cleveland.com", ["Troy L. Smith"]),
        ("Текст: Венера Ерофеева", ["Венера Ерофеева"]),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ["Chris Cillizza"]),
        ("Ilana Muhlstein, MS, RDN", ["Ilana Muhlstein"]),
        ("By\n  Jane Doe\n  Staff Writer", ["Jane Doe"]),
        ("Author:\nMax Muster", ["Max Muster"]),
    ])
    func bylines(raw: String, names: [String]) {
        #expect(AuthorNames.split(raw) == names)
    }

    @Test func visibleBylineIsFoundWhenNoMetaNamesTheAuthor() throws {
        let html = """
            <html><head><title>T</title></head><body><article><h1>Headline of the story</h1>
            <div class="article-byline">By <a href="/people/jd">Jane Doe</a></div><p>Text.</p></article></body></html>
            """
        #expect(try extract(html).authors == ["Jane Doe"])
    }

    @Test func bylineAndDateInSeparateBlocksDoNotRunTogether() throws {
        let html = """
            <html><head><title>T</title></head><body><h1>A long enough headline</h1>
            <div class="post-meta"><h6><span class="byline__author">Carrie Arnold</span></h6><p><em>November 15, 2019</em></p></div>
            <p>Text.</p></body></html>
            """
        let r = try extract(html)
        #expect(r.authors == ["Carrie Arnold"])
        #expect(r.published == "2019-11-15")
    }

    @Test func bylineAndDatePrintedUnderTheHeadlineWithoutClassNames() throws {
        let html = """
            <html><head><title>T</title></head><body><nav><a href="/">Home</a></nav>
            <section><h1>15 Helpful Tips to Overcome Binge Eating</h1>
            <div class="css-1x2y">Written by <a href="/team">Rachael Link, MS, RD</a> on November 14, 2019</div></section>
            <p>Text.</p></body></html>
            """
        let r = try extract(html)
        #expect(r.authors == ["Rachael Link"])
        #expect(r.published == "2019-11-14")
    }

    @Test func sectionFromABreadcrumbTrail() throws {
        let html = """
            <html><head><title>T</title></head><body>
            <nav class="main-menu"><a href="/">Home</a><a href="/sport">Sport</a><a href="/arts">Arts</a></nav>
            <nav aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/world">World</a> › <a href="/world/europe">Europe</a></nav>
            <h1>A headline about Europe</h1><p>Text.</p></body></html>
            """
        #expect(try extract(html).section == "Europe")
    }

    @Test func metaTagsFillEveryField() throws {
        let html = """
            <html lang="de-de"><head><base href="/de/">
            <title>Der Titel | Beispiel</title>
            <meta property="og:title" content="Der Titel">
            <meta property="og:site_name" content="Beispiel">
            <meta name="author" content="Erika Musterfrau">
            <meta property="article:published_time" content="2024-01-15T09:30:00+01:00">
            <meta property="article:modified_time" content="2024-01-16T10:00:00+01:00">
            <meta property="article:section" content="Politik">
            <meta property="article:tag" content="Wahl"><meta property="article:tag" content="Bundestag">
            <meta name="description" content="Worum es geht.">
            <meta property="og:image" content="bilder/a.jpg">
            <link rel="canonical" href="/de/artikel/1">
            </head><body><p>Text.</p></body></html>
            """
        let r = try extract(html)
        #expect(r.title == "Der Titel")
        #expect(r.siteName == "Beispiel")
        #expect(r.authors == ["Erika Musterfrau"])
        #expect(r.published == "2024-01-15T09:30:00+01:00")
        #expect(r.modified == "2024-01-16T10:00:00+01:00")
        #expect(r.section == "Politik")
        #expect(r.tags == ["Wahl", "Bundestag"])
        #expect(r.language == "de-DE")
        #expect(r.description == "Worum es geht.")
        // Relative links resolve against <base href>, itself relative to the page URL.
        #expect(r.image == "https://www.example.com/de/bilder/a.jpg")
        #expect(r.canonicalURL == "https://www.example.com/de/artikel/1")
    }

    @Test func dublinCoreMicrodataAndTimeElements() throws {
        let html = """
            <html><head><title>Fallback</title>
            <meta name="DC.title" content="Dublin Core title"><meta name="DC.creator" content="Dee Creator">
            <meta name="DC.language" content="pt_BR"></head>
            <body><article itemscope itemtype="https://schema.org/NewsArticle">
            <time class="updated" datetime="2022-03-04T05:06:07Z">4 March</time>
            <time datetime="2022-03-01T08:00:00-03:00">1 March</time><p>Text.</p></article></body></html>
            """
        let r = try extract(html)
        #expect(r.title == "Dublin Core title")
        #expect(r.authors == ["Dee Creator"])
        #expect(r.language == "pt-BR")
        #expect(r.published == "2022-03-01T08:00:00-03:00")
        #expect(r.modified == "2022-03-04T05:06:07Z")
    }

    @Test func microdataAuthorName() throws {
        let html = """
            <html><head><title>T</title></head><body><div itemprop="author" itemscope itemtype="https://schema.org/Person">
            <span itemprop="name">Micro Data</span> <span>Staff writer</span></div><p>Text.</p></body></html>
            """
        #expect(try extract(html).authors == ["Micro Data"])
    }

    @Test func withoutAPageURLTheCanonicalURLResolvesLinks() throws {
        let html = """
            <html><head><title>T</title><link rel="canonical" href="https://site.example/a/b">
            <meta property="og:image" content="/i.png"></head><body><p>x</p></body></html>
            """
        let r = try extract(html, url: nil)
        #expect(r.image == "https://site.example/i.png")
        #expect(r.canonicalURL == "https://site.example/a/b")
    }

    @Test("an undeclared language is read from a script only one language uses", arguments: [
        ("トレンドマイクロ、公衆無線LANを安全に使うためのアプリ", "ja"),
        ("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶", "zh"),
        ("한국어 기사 제목입니다", "ko"),
        ("Αθήνα: νέα μέτρα για την οικονομία", "el"),
    ])
    func languageFromScript(title: String, language: String) throws {
        let html = "<html><head><title>\(title)</title></head><body><p>x</p></body></html>"
        #expect(try extract(html).language == language)
    }

    @Test func latinOrCyrillicTextGivesNoGuess() throws {
        for title in ["An English headline here", "Заголовок статьи на русском"] {
            let html = "<html><head><title>\(title)</title></head><body><p>x</p></body></html>"
            #expect(try extract(html).language == nil)
        }
    }

    @Test func linksThatCannotBeMadeAbsoluteAreUnknown() throws {
        let html = """
            <html><head><title>T</title><meta property="og:image" content="/relative.png"></head><body><p>x</p></body></html>
            """
        #expect(try extract(html, url: nil).image == nil)
        let cdn = "<html><head><meta property=\"og:image\" content=\"//cdn.example/a.jpg\"></head><body></body></html>"
        #expect(try extract(cdn, url: nil).image == "https://cdn.example/a.jpg")
    }

    @Test func unknownFieldsAreNilOrEmpty() throws {
        let r = try extract("<html><body><p>Just text.</p></body></html>", url: nil)
        #expect(r.title == nil && r.published == nil && r.language == nil && r.siteName == nil)
        #expect(r.authors.isEmpty && r.tags.isEmpty)
    }
}

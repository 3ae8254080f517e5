import Testing
@testable import HeraldExtract

/// JSON-LD in the shapes real pages ship feeds the record, and broken blocks never break a page.
@Suite struct JSONLDTests {
    private func record(_ scripts: [String], head: String = "", body: String = "<p>Body text.</p>") throws -> ArticleRecord {
        let blocks = scripts.map { "<script type=\"application/ld+json\">\($0)</script>" }.joined()
        let html = "<html lang=\"en\"><head><title>Page title | Site</title>\(head)\(blocks)</head><body>\(body)</body></html>"
        return try ArticleExtractor().extract(bytes: Array(html.utf8), url: "https://news.example.com/story")
    }

    @Test("article types are recognized", arguments: ["NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "schema:NewsArticle"])
    func articleTypes(type: String) throws {
        let r = try record(["{\"@context\":\"https://schema.org\",\"@type\":\"\(type)\",\"headline\":\"The headline\",\"datePublished\":\"2024-02-20T07:27:00+02:00\"}"])
        #expect(r.title == "The headline")
        #expect(r.published == "2024-02-20T07:27:00+02:00")
    }

    @Test func nestedAuthorsPublisherImageAndKeywords() throws {
        let json = """
            {"@context":"https://schema.org","@type":["NewsArticle"],"headline":"H",
             "author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],
             "publisher":{"@type":"Organization","name":"Example News","logo":{"@type":"ImageObject","url":"https://x/logo.png"}},
             "image":{"@type":"ImageObject","url":"/img/a.jpg"},
             "keywords":"politics, economy","articleSection":["World"],"inLanguage":"fr-FR",
             "dateModified":"2024-02-21T10:00:00Z","articleBody":"<p>First para.</p><p>Second &amp; last.</p>"}
            """
        let r = try record([json], head: "")
        #expect(r.authors == ["Jane Doe", "John Roe"])
        #expect(r.siteName == "Example News")
        #expect(r.image == "https://news.example.com/img/a.jpg")
        #expect(r.tags == ["politics", "economy"])
        #expect(r.section == "World")
        #expect(r.modified == "2024-02-21T10:00:00Z")
        // <html lang> is the page's own statement and wins over inLanguage.
        #expect(r.language == "en")
    }

    @Test func graphWithIDReferences() throws {
        let json = """
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"https://x/#website","name":"The Site"},
              {"@type":"Person","@id":"https://x/#/person/1","name":"Ann Author"},
              {"@type":"WebPage","@id":"https://x/story","datePublished":"2020-01-01"},
              {"@type":"Article","headline":"Graph headline","author":{"@id":"https://x/#/person/1"},
               "datePublished":"2023-05-06T08:00:00+00:00","publisher":{"@id":"https://x/#org"}},
              {"@type":"Organization","@id":"https://x/#org","name":"Org Name"}]}
            """
        let r = try record([json])
        #expect(r.title == "Graph headline")
        #expect(r.authors == ["Ann Author"])
        #expect(r.published == "2023-05-06T08:00:00Z")
        #expect(r.siteName == "Org Name")
    }

    @Test func topLevelArrayAndSeveralBlocks() throws {
        let breadcrumb = "{\"@context\":\"https://schema.org\",\"@type\":\"BreadcrumbList\",\"itemListElement\":[]}"
        let array = "[{\"@type\":\"Organization\",\"name\":\"O\"},{\"@type\":\"BlogPosting\",\"headline\":\"From array\",\"author\":\"Solo Writer\"}]"
        let r = try record([breadcrumb, array])
        #expect(r.title == "From array")
        #expect(r.authors == ["Solo Writer"])
    }

    @Test func brokenJSONIsRepairedOrIgnored() throws {
        // CDATA wrapper, a raw newline inside a string, a trailing comma, HTML entities.
        let messy = "<![CDATA[ {\"@type\":\"NewsArticle\",\"headline\":\"Line one\nline two &amp; more\",\"author\":{\"name\":\"A &#8217;B\"},} ]]>"
        let r = try record([messy, "{ this is not json"])
        let commented = "{\"@type\":\"NewsArticle\",\n  // filled in later\n  \"headline\":\"After a comment\",\"keywords\":[\"a\", \"b\", ]}"
        #expect(try record([commented]).title == "After a comment")
        #expect(r.title == "Line one line two & more")
        #expect(r.authors == ["A ’B"])
        let broken = try record(["{{{"], head: "<meta property=\"og:title\" content=\"Fallback title\">")
        #expect(broken.title == "Fallback title")
    }

    @Test func singleQuotedStringsAreRepaired() throws {
        let js = "{\"@type\": \"NewsArticle\", \"headline\": \"H\", \"description\": 'It\\'s \"quoted\"', \"publisher\": {\"name\": \"Reuters\"}}"
        let r = try record([js])
        #expect(r.siteName == "Reuters")
        #expect(StructuredData(blocks: [js]).description == "It's \"quoted\"")
    }

    @Test func sectionFromABreadcrumbList() throws {
        let crumbs = """
            {"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[
              {"@type":"ListItem","position":2,"name":"Science","item":"https://x/science"},
              {"@type":"ListItem","position":1,"name":"Home","item":"https://x/"},
              {"@type":"ListItem","position":3,"name":"The headline","item":"https://x/science/h"}]}
            """
        let article = "{\"@type\":\"NewsArticle\",\"headline\":\"The headline\"}"
        #expect(try record([crumbs, article]).section == "Science")
    }

    @Test func objectsWrittenBackToBack() throws {
        let two = "{\"@type\":\"Organization\",\"name\":\"O}{rg\"}\n{\"@type\":\"NewsArticle\",\"headline\":\"Second object\"}"
        #expect(try record([two]).title == "Second object")
    }

    @Test func entityEncodedJSON() throws {
        let encoded = "{&quot;@type&quot;:&quot;NewsArticle&quot;,&quot;headline&quot;:&quot;Encoded&quot;}"
        #expect(try record([encoded]).title == "Encoded")
    }

    @Test func structuredBodyIsPlainText() {
        let data = StructuredData(blocks: ["{\"@type\":\"NewsArticle\",\"articleBody\":\"<p>One.</p><p>Two &amp; three.</p>\"}"])
        #expect(data.articleBody == "One.\n\nTwo & three.")
    }

    @Test func authorURLsAreNotNames() throws {
        let json = "{\"@type\":\"NewsArticle\",\"headline\":\"H\",\"author\":[\"https://example.com/staff/x\",{\"@type\":\"Person\",\"name\":\"Real Name\"}]}"
        #expect(try record([json]).authors == ["Real Name"])
    }
}

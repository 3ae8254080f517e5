import Testing
@testable import HeraldExtract

/// Dates as pages write them, in the languages and forms news sites use, become ISO 8601.
@Suite struct DateParserTests {
    @Test("ISO 8601 and RFC 822 keep the page's offset",
          arguments: [
            ("2015-07-24T05:36:09+01:00", "2015-07-24T05:36:09+01:00"),
            ("2019-10-18T17:23:34.816Z", "2019-10-18T17:23:34Z"),
            ("2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"),
            ("2015-04-30T07:19:58", "2015-04-30T07:19:58"),
            ("2018-04-05T06:00", "2018-04-05T06:00:00"),
            ("2019-04-28 06:01:07", "2019-04-28T06:01:07"),
            ("2024-06-25", "2024-06-25"),
            ("2016-12-22T10:43:37-08:00", "2016-12-22T10:43:37-08:00"),
            ("Tue, 20 Feb 2024 07:27:00 GMT", "2024-02-20T07:27:00Z"),
            ("Tue, 20 Feb 2024 07:27:00 +0200", "2024-02-20T07:27:00+02:00"),
            ("1708413420", "2024-02-20T07:17:00Z"),
            ("1708413420000", "2024-02-20T07:17:00Z"),
            ("Tue Nov 19 2019 21:57:01 GMT+0000 (Coordinated Universal Time)", "2019-11-19T21:57:01Z"),
            ("2019-11-19 21:57:01.000000", "2019-11-19T21:57:01"),
          ])
    func machineForms(raw: String, iso: String) {
        #expect(DateParser.parse(raw) == iso)
    }

    @Test("numeric and written dates in English, French, German, Spanish and more",
          arguments: [
            ("2024-02-20 | 07:27", "2024-02-20T07:27:00"),
            ("20.02.2024, 07:27 Uhr", "2024-02-20T07:27:00"),
            ("20/02/2024", "2024-02-20"),
            ("2024/02/20", "2024-02-20"),
            ("February 20, 2024", "2024-02-20"),
            ("Feb. 20, 2024 at 6:01 p.m. EST", "2024-02-20T18:01:00-05:00"),
            ("April 28, 2019 at 6:01 am", "2019-04-28T06:01:00"),
            ("20th of February 2024", "2024-02-20"),
            ("Published 20 Feb 2024 12:05 GMT+1", "2024-02-20T12:05:00+01:00"),
            ("mardi 20 février 2024 à 07h27", "2024-02-20T07:27:00"),
            ("1er mars 2024", "2024-03-01"),
            ("Publié le 30 avril 2015 à 07:19", "2015-04-30T07:19:00"),
            ("20. Februar 2024, 7:27 Uhr", "2024-02-20T07:27:00"),
            ("Dienstag, 3. März 2020", "2020-03-03"),
            ("20 de febrero de 2024 a las 07:27", "2024-02-20T07:27:00"),
            ("martes, 5 de marzo de 2024", "2024-03-05"),
            ("20 febbraio 2024", "2024-02-20"),
            ("2024年2月20日 07:27", "2024-02-20T07:27:00"),
            ("20 февраля 2024", "2024-02-20"),
          ])
    func visibleForms(raw: String, iso: String) {
        #expect(DateParser.parse(raw) == iso)
    }

    @Test func ambiguousNumericDatesFollowTheLanguage() {
        #expect(DateParser.find(in: "03/04/2024", skipUpdated: false, monthFirst: false)?.iso == "2024-04-03")
        #expect(DateParser.find(in: "03/04/2024", skipUpdated: false, monthFirst: true)?.iso == "2024-03-04")
        // A day above 12 settles it either way.
        #expect(DateParser.find(in: "04/23/2024", skipUpdated: false, monthFirst: false)?.iso == "2024-04-23")
    }

    @Test("implausible dates are rejected", arguments: [
        "1994-12-31", "2999-01-01", "2024-02-30", "2023-13-01", "31/31/2024", "no date here", "", "12:30",
    ])
    func rejected(raw: String) {
        #expect(DateParser.parse(raw) == nil)
    }

    @Test func updatedIsNotTakenForPublished() {
        let text = "Updated: March 3, 2024 · Published: February 20, 2024"
        #expect(DateParser.find(in: text, skipUpdated: true, monthFirst: false)?.iso == "2024-02-20")
        let only = "Mis à jour le 3 mars 2024"
        #expect(DateParser.find(in: only, skipUpdated: true, monthFirst: false) == nil)
        let both = "April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm"
        #expect(DateParser.find(in: both, skipUpdated: true, monthFirst: false)?.iso == "2019-04-28T06:01:00")
    }

    @Test func updateDatesAreFoundForModified() {
        let both = "April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm"
        #expect(DateParser.findUpdate(in: both, monthFirst: true)?.iso == "2019-04-29T15:33:00")
        #expect(DateParser.findUpdate(in: "Publié le 3 mars 2024", monthFirst: false) == nil)
        #expect(DateParser.findUpdate(in: "Aktualisiert am 4. März 2024, 10:15 Uhr", monthFirst: false)?.iso == "2024-03-04T10:15:00")
    }

    @Test func datesInURLPaths() {
        #expect(DateParser.fromURLPathDate("https://example.com/2024/02/20/some-story")?.iso == "2024-02-20")
        #expect(DateParser.fromURLPathDate("https://example.com/news/2024-02-20-some-story.html")?.iso == "2024-02-20")
        #expect(DateParser.fromURLPathDate("https://example.com/a/20240220/story")?.iso == "2024-02-20")
        #expect(DateParser.fromURLPathDate("https://example.com/news/world-news/752100/story/en")?.iso == nil)
    }

    @Test func pageDateBecomesThePublishedField() throws {
        let html = """
            <html><head><title>T</title></head><body><article><h1>Headline here</h1>
            <div class="meta"><span class="updated">Updated 3 March 2024</span>
            <span class="date">Publié le 20 février 2024 à 07h27</span></div><p>Text.</p></article></body></html>
            """
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8), url: "https://example.com/x")
        #expect(record.published == "2024-02-20T07:27:00")
        #expect(record.modified == "2024-03-03")
    }

    @Test func dateFromURLWhenThePageHasNone() throws {
        let html = "<html><head><title>T</title></head><body><p>Text.</p></body></html>"
        let record = try ArticleExtractor().extract(bytes: Array(html.utf8), url: "https://example.com/2023/11/05/story")
        #expect(record.published == "2023-11-05")
    }
}

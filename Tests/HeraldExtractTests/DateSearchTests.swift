import Foundation
import Testing
@testable import HeraldExtract

/// The date rules beyond the metadata: relative dates against a reference time, the extensive
/// search of the visible page and how it chooses, and the checks of the metadata's own date
/// against what the page prints.
@Suite struct DateSearchTests {
    /// 2024-03-10 08:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_710_057_600)

    private func extract(_ html: String, url: String = "https://www.example.com/news/story.html",
                         now: Date? = nil) throws -> ArticleRecord {
        try ArticleExtractor(now: now).extract(bytes: Array(html.utf8), url: url)
    }

    /// An article page with no date metadata: `header` is printed under the headline.
    private func page(header: String, before: String = "", after: String = "") -> String {
        """
        <html><head><title>A headline long enough</title></head><body>
        <nav><a href="/">Home</a> <a href="/archive">Archive 01.01.2020</a></nav>\(before)
        <article><h1>A headline long enough</h1><div class="byline">\(header)</div>
        <p>The story's first paragraph, with enough words to be a paragraph of prose.</p>\(after)</article>
        <footer>© 2024 Example Media · Impressum</footer></body></html>
        """
    }

    // MARK: relative dates

    @Test("relative dates resolve against the reference time, in several languages", arguments: [
        ("3 hours ago", "2024-03-10"),
        ("By Jane Doe, 2 days ago", "2024-03-08"),
        ("Von Erika Muster, vor 2 Tagen", "2024-03-08"),
        ("vor einer Woche", "2024-03-03"),
        ("il y a 3 jours", "2024-03-07"),
        ("hace 2 días", "2024-03-08"),
        ("2 giorni fa", "2024-03-08"),
        ("Yesterday", "2024-03-09"),
        ("gestern", "2024-03-09"),
    ])
    func relativeWithNow(text: String, day: String) throws {
        #expect(try extract(page(header: text), now: Self.now).published == day)
    }

    @Test("without a reference time relative dates are left out", arguments: [
        "3 hours ago", "vor 2 Tagen", "il y a 3 jours", "hace 2 días", "Yesterday",
    ])
    func relativeWithoutNow(text: String) throws {
        #expect(try extract(page(header: text)).published == nil)
    }

    @Test func relativeDatesTooCoarseForADayOrInRunningTextAreNotResolved() {
        #expect(DateParser.relative(in: "2 months ago", now: Self.now, standalone: true) == nil)
        // "Today" is a menu word too: only a short date line of its own counts.
        #expect(DateParser.relative(in: "Today", now: Self.now, standalone: false) == nil)
        #expect(DateParser.relative(in: "Today", now: Self.now, standalone: true)?.iso == "2024-03-10")
    }

    @Test func absoluteDatesDoNotDependOnTheReferenceTimeExceptForTheFuture() throws {
        let html = page(header: "March 5, 2024")
        #expect(try extract(html).published == "2024-03-05")
        #expect(try extract(html, now: Self.now).published == "2024-03-05")
        // Read as of March 1st, a date of March 5th has not happened yet.
        #expect(try extract(html, now: Date(timeIntervalSince1970: 1_709_251_200)).published == nil)
    }

    // MARK: the extensive search

    @Test("copyright, updated and footer dates beside the real date do not win")
    func copyrightAndUpdatedAreDiscounted() throws {
        let html = page(header: "Updated March 7, 2024 · Copyright 2024-03-09 · March 5, 2024")
        #expect(try extract(html).published == "2024-03-05")
    }

    @Test func anUpdatedDateIsTakenOnlyWhenNothingElseIsPrinted() throws {
        #expect(try extract(page(header: "Last updated: 7 March 2024")).published == "2024-03-07")
    }

    @Test func aLabelledPublicationLineBeatsANearerBareDate() throws {
        let html = page(header: "Event: 12/03/2024", after: "<p class=\"info\">Published: 4 March 2024</p>")
        #expect(try extract(html).published == "2024-03-04")
    }

    @Test func theDateNearestTheHeadlineWinsOverTeasersFartherAway() throws {
        let teasers = (1...5).map { "<div class=\"teaser\"><a href=\"/t\($0)\">Other story \($0)</a> <span>0\($0).02.2024</span></div>" }
            .joined()
        let html = page(header: "Jane Doe · 29.02.2024", after: teasers)
        #expect(try extract(html).published == "2024-02-29")
    }

    @Test func theURLsDayPrintedNearTheHeadlineBeatsTheNearestDate() throws {
        let html = page(header: "<p>19.05.2007</p><p>20.05.2007</p>")
        let url = "https://blog.example.org/2007/05/20/results/"
        #expect(try extract(html, url: url).published == "2007-05-20")
        #expect(try extract(html).published == "2007-05-19")
    }

    @Test("ranges, the current time and registration dates are not publication dates", arguments: [
        "Aktuelle Zeit: 14.10.2020, 12:18",
        "Registriert: 18.09.2008",
        "Workshop vom 12.10. - 15.10.2023",
        "Video verfügbar bis 14.10.2020",
    ])
    func notPublicationDates(text: String) throws {
        #expect(try extract(page(header: text)).published == nil)
    }

    @Test func commentThreadsAreLeftOut() throws {
        let comments = "<div class=\"comments\"><p>Great story! 3 March 2024</p></div>"
        #expect(try extract(page(header: "Jane Doe", after: comments)).published == nil)
    }

    @Test func withoutAnH1TheHeadingThatIsPartOfTheTitleAnchorsTheSearch() throws {
        let html = """
            <html><head><title>Jurassic park estate for sale | Homes</title></head><body>
            <header><span class="today">Tue, 14 Jan 2020</span></header>
            <div class="menu">News · Homes · Rentals · Commercial · Agents · Finance · Guides · Contact us</div>
            <div class="menu">Sell · Buy · Invest · Research · Suburb profiles · Price guides · About us</div>
            <div class="menu">Careers · Advertise · Media · Help centre · Terms · Privacy · Sitemap</div>
            <div class="menu">Follow us on the socials, sign up for the weekly letter, download the app</div>
            <div class="menu">Subscribe · Log in · Register · Saved searches · Saved properties · Alerts</div>
            <h2>Jurassic park estate for sale</h2><p>13 Jan 2020</p><p>The story.</p></body></html>
            """
        #expect(try extract(html).published == "2020-01-13")
    }

    @Test func theURLPathDatesAPageThatPrintsNone() throws {
        #expect(try extract(page(header: "Jane Doe"), url: "https://news.example/2024/02/20/story/").published == "2024-02-20")
    }

    // MARK: checking the metadata's date

    @Test func aUTCTimestampTakesTheLocalMomentTheMetadataAlsoGives() throws {
        let html = """
            <html><head><title>T</title>
            <meta property="article:published_time" content="2023-11-09T03:28:35+00:00">
            <meta name="sailthru.date" content="2023-11-08 22:28:35">
            </head><body><h1>A headline long enough</h1><p>Text.</p></body></html>
            """
        #expect(try extract(html).published == "2023-11-08T22:28:35-05:00")
    }

    @Test func aUTCTimestampTakesTheLocalDayThePageAndURLPrint() throws {
        let html = """
            <html><head><title>T</title><meta property="article:published_time" content="2020-02-18T02:18:11Z">
            </head><body><h1>A headline long enough</h1><div class="byline">17 de febrero de 2020</div>
            <p>Text.</p></body></html>
            """
        #expect(try extract(html, url: "https://news.example/2020/02/17/story/").published == "2020-02-17")
        // With nothing printed the timestamp stands.
        let bare = html.replacingOccurrences(of: "17 de febrero de 2020", with: "Staff")
        #expect(try extract(bare).published == "2020-02-18T02:18:11Z")
    }

    @Test func disagreeingMetadataDatesTakeTheOneThePagePrints() throws {
        let html = """
            <html><head><title>T</title>
            <meta property="article:published_time" content="2023-01-10T09:00:00+01:00">
            <meta property="article:modified_time" content="2023-03-06T10:00:00+01:00">
            </head><body><h1>A headline long enough</h1><div class="byline">Aktualisiert am 06.03.2023</div>
            <p>Text.</p></body></html>
            """
        #expect(try extract(html).published == "2023-03-06T10:00:00+01:00")
        // When the page prints the publication day, or nothing, the metadata's first date stands.
        let printed = html.replacingOccurrences(of: "Aktualisiert am 06.03.2023", with: "10.01.2023")
        #expect(try extract(printed).published == "2023-01-10T09:00:00+01:00")
    }

    @Test func aGenericDateTagYieldsToTheDateLinePrintedByTheHeadline() throws {
        let html = """
            <html><head><title>T</title><meta name="date" content="2020-02-12"></head><body>
            <h1>A headline long enough</h1><div class="byline">05.02.2020 - Redaktion</div><p>Text.</p></body></html>
            """
        #expect(try extract(html).published == "2020-02-05")
        let specific = html.replacingOccurrences(of: "name=\"date\"", with: "property=\"article:published_time\"")
        #expect(try extract(specific).published == "2020-02-12")
    }
}

import Foundation
import Testing
import HeraldExtract
import HeraldTestSupport

/// Metadata quality gate over `../shared/corpus/readability-dev` (Readability.js's own expected
/// values) and the seed page. Prints the rates; fails when one drops below its floor. The floors
/// are what the extractor reached when they were set: raise them as it improves, never lower them.
///
/// How a field counts as right:
/// - title: equal after normalization (case, whitespace, typographic quotes), or equal once a
///   whole separator-delimited segment (site or section name: " | eHow", " - Wikipedia") is
///   removed from either end of one of them (herald strips site names, Readability often keeps
///   them). The exact rate is gated separately.
/// - byline (pages whose expected byline is non-empty): after lower-casing, dropping punctuation
///   and a leading "by"/"par"/"von", our first author is contained in the expected byline or the
///   expected byline in our joined authors ("partial" match: Readability's bylines often carry
///   extra words such as the outlet or a date).
/// - published: the same calendar day as written (the first 10 characters, YYYY-MM-DD).
/// - language: equal ignoring case; site name: equal after normalization.
@Suite struct MetadataQualityTests {
    static let pageURL = "http://fakehost/test/page.html"

    struct Tally {
        var hits = 0, total = 0
        var misses: [String] = []
        var rate: Double { total == 0 ? 1 : Double(hits) / Double(total) }
        mutating func count(_ ok: Bool, _ page: String, ours: String?, expected: String?) {
            total += 1
            if ok { hits += 1 } else { misses.append("\(page): ours=\(ours ?? "nil") expected=\(expected ?? "nil")") }
        }
    }

    static func normalize(_ s: String) -> String {
        var t = s.lowercased()
        for (a, b) in [("’", "'"), ("‘", "'"), ("“", "\""), ("”", "\""), ("\u{A0}", " ")] {
            t = t.replacingOccurrences(of: a, with: b)
        }
        return t.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static let separators: Set<Character> = ["|", "-", "–", "—", "·", ":", "_", "»", "«", "•", "/"]

    /// True when `long` is `short` plus whole separator-delimited segments at one end.
    static func segmentMatch(_ short: String, _ long: String) -> Bool {
        guard !short.isEmpty, long.count > short.count else { return false }
        if long.hasPrefix(short), let c = long.dropFirst(short.count).first(where: { !$0.isWhitespace }),
           separators.contains(c) { return true }
        if long.hasSuffix(short), let c = long.dropLast(short.count).last(where: { !$0.isWhitespace }),
           separators.contains(c) { return true }
        return false
    }

    static func nameKey(_ s: String) -> String {
        let folded = s.lowercased().unicodeScalars.map { $0.properties.isAlphabetic || $0.properties.numericType != nil ? Character($0) : " " }
        var words = String(folded).split(separator: " ").map(String.init)
        if let first = words.first, ["by", "par", "von", "por", "door"].contains(first) { words.removeFirst() }
        return words.joined(separator: " ")
    }

    struct Report {
        var titleExact = Tally(), title = Tally(), byline = Tally(), published = Tally()
        var language = Tally(), siteName = Tally(), excerpt = Tally()
    }

    static func evaluate() throws -> Report {
        let root = TestPaths.corpus.appendingPathComponent("readability-dev")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        var r = Report()
        let extractor = ArticleExtractor()
        for name in names {
            let dir = root.appendingPathComponent(name)
            let expectedURL = dir.appendingPathComponent("expected-metadata.json")
            guard let data = try? Data(contentsOf: expectedURL),
                  let expected = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            let source = try Data(contentsOf: dir.appendingPathComponent("source.html"))
            let record = try extractor.extract(bytes: [UInt8](source), url: pageURL)

            if let title = expected["title"] as? String, !title.isEmpty {
                let e = normalize(title), o = normalize(record.title ?? "")
                r.titleExact.count(e == o, name, ours: record.title, expected: title)
                r.title.count(e == o || segmentMatch(o, e) || segmentMatch(e, o), name, ours: record.title, expected: title)
            }
            if let byline = expected["byline"] as? String, !nameKey(byline).isEmpty {
                let e = nameKey(byline)
                let first = record.authors.first.map(nameKey) ?? ""
                let joined = nameKey(record.authors.joined(separator: " "))
                let ok = !first.isEmpty && (e.contains(first) || joined.contains(e))
                r.byline.count(ok, name, ours: record.authors.joined(separator: "; "), expected: byline)
            }
            if let published = expected["publishedTime"] as? String, !published.isEmpty {
                let ok = record.published.map { $0.prefix(10) == published.prefix(10) } ?? false
                r.published.count(ok, name, ours: record.published, expected: published)
            }
            if let lang = expected["lang"] as? String, !lang.isEmpty {
                r.language.count(record.language?.lowercased() == lang.lowercased(), name, ours: record.language, expected: lang)
            }
            if let site = expected["siteName"] as? String, !site.isEmpty {
                r.siteName.count(normalize(record.siteName ?? "") == normalize(site), name, ours: record.siteName, expected: site)
            }
            if let excerpt = expected["excerpt"] as? String, !excerpt.isEmpty {
                r.excerpt.count(normalize(record.description ?? "") == normalize(excerpt), name, ours: record.description, expected: excerpt)
            }
        }
        return r
    }

    @Test("metadata quality on readability-dev stays at or above its floors")
    func readabilityDevQuality() throws {
        let r = try Self.evaluate()
        let verbose = ProcessInfo.processInfo.environment["HERALD_VERBOSE"] != nil
        let rows: [(String, Tally, Double)] = [
            // Floors = what was reached (2026-12-03): 60/61, 52/61, 31/35, 20/20, 33/33, 27/27.
            // byline: 4 of the 35 expected bylines are not the article's author (a date, a
            // "Follow Author" button, authors of teasers for other articles); 31/35 is every
            // real one. An earlier 32/35 counted a match on the "Follow Author" button text.
            ("title", r.title, 0.98), ("title (exact)", r.titleExact, 0.85), ("byline", r.byline, 0.88),
            ("published", r.published, 1.0), ("language", r.language, 1.0), ("site_name", r.siteName, 1.0),
            ("description (info)", r.excerpt, 0.0),
        ]
        for (field, tally, floor) in rows {
            print(String(format: "readability-dev %@: %d/%d = %.3f (floor %.2f)", field, tally.hits, tally.total, tally.rate, floor))
            if verbose { for m in tally.misses { print("   miss \(m)") } }
            #expect(tally.rate >= floor, "\(field) rate \(tally.rate) below floor \(floor): \(tally.misses)")
        }
    }

    @Test("the seed LBCI page gives every expected field")
    func seedPageFields() throws {
        let dir = TestPaths.corpus.appendingPathComponent("seed")
        let expectedData = try Data(contentsOf: dir.appendingPathComponent("lbci-putin-limo.expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let html = try Data(contentsOf: dir.appendingPathComponent("lbci-putin-limo.html"))
        let url = try #require(expected["url"] as? String)
        let record = try ArticleExtractor().extract(bytes: [UInt8](html), url: url)
        #expect(record.url == url)
        #expect(record.canonicalURL == expected["canonical_url"] as? String)
        #expect(record.title == expected["title"] as? String)
        #expect(record.siteName == expected["site_name"] as? String)
        #expect(record.section == expected["section"] as? String)
        #expect(record.published == expected["published"] as? String)
        #expect(record.language == expected["language"] as? String)
        #expect(record.tags == expected["tags"] as? [String])
        #expect(record.image == expected["image"] as? String)
    }
}

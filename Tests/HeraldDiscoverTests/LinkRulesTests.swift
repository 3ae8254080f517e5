import Testing
@testable import HeraldDiscover

@Suite("LinkRules")
struct LinkRulesTests {
    @Test("allow OR, deny wins, empty allow means everything")
    func semantics() throws {
        let rules = try LinkRules(allow: ["^https://www\\.example\\.com/news/", "/world/"],
                                  deny: ["/tags/", "\\?page=\\d{3,}"])
        #expect(rules.matches("https://www.example.com/news/1"))
        #expect(rules.matches("https://other.example/world/2"))
        #expect(!rules.matches("https://www.example.com/sport/1"))
        #expect(!rules.matches("https://www.example.com/news/tags/x"))
        #expect(!rules.matches("https://www.example.com/news/?page=100"))
        #expect(rules.matches("https://www.example.com/news/?page=10"))

        let denyOnly = try LinkRules(deny: ["\\.pdf$"])
        #expect(denyOnly.matches("https://example.com/a"))
        #expect(!denyOnly.matches("https://example.com/a.pdf"))
        #expect(LinkRules.everything.matches("https://example.com/anything"))
        #expect(try LinkRules().matches("https://example.com/anything"))
    }

    @Test("patterns search like Python's re.search and take Python spellings")
    func pythonSyntax() throws {
        #expect(try LinkRules(allow: ["/\\d+/"]).matches("https://e.com/news/752100/x"))
        #expect(try !LinkRules(allow: ["^/\\d+/"]).matches("https://e.com/752100/x"))
        #expect(try LinkRules(allow: ["(?i)/NEWS/"]).matches("https://e.com/news/1"))
        #expect(try LinkRules(allow: ["/(?P<year>\\d{4})/(?P=year)$"]).matches("https://e.com/2024/2024"))
        #expect(try !LinkRules(allow: ["/(?P<year>\\d{4})/(?P=year)$"]).matches("https://e.com/2024/2023"))
        #expect(try LinkRules(allow: ["/en\\Z"]).matches("https://e.com/news/1/en"))
        #expect(try !LinkRules(allow: ["/en\\Z"]).matches("https://e.com/news/1/en/x"))
        // Unicode in the URL is percent-encoded by normalization; patterns see that form.
        let url = CrawlURL("https://e.com/caf\u{E9}")!
        #expect(try LinkRules(allow: ["/caf%C3%A9$"]).matches(url))
    }

    @Test("a pattern that does not compile is reported with its list and position")
    func invalid() {
        #expect(throws: LinkRules.InvalidPattern.self) { try LinkRules(allow: ["ok", "(unclosed"]) }
        do {
            _ = try LinkRules(allow: ["ok"], deny: ["fine", "[a-"])
            Issue.record("expected an error")
        } catch let error as LinkRules.InvalidPattern {
            #expect(error.list == "deny")
            #expect(error.index == 1)
            #expect(error.pattern == "[a-")
            #expect(error.description.hasPrefix("deny[1]: invalid regular expression '[a-'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: Never.self) { try LinkRules.validate("^https://www\\.bbc\\.com/news/") }
        #expect(throws: LinkRules.InvalidPattern.self) { try LinkRules.validate("*.html") }
    }

    @Test("rules are Sendable and give the same answers from many tasks at once")
    func concurrent() async throws {
        let rules = try LinkRules(allow: ["/news/\\d+"], deny: ["/tags/"])
        let urls = (0..<200).map { i in i % 3 == 0 ? "https://e.com/tags/\(i)" : "https://e.com/news/\(i)" }
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { urls.filter(rules.matches).count }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 133, count: 8))
    }
}

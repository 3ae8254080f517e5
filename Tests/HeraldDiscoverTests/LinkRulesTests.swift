import Foundation
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

    static let differentialPatterns = [
        "/tags/", "^https://www\\.example\\.com/news/", "/ar$", "\\?page=", "^https://e\\.com/a$",
        "\\$$", "\\$", "a\\\\$", "^https://e\\.com/news/\\d+", "/NEWS/", "(?i)/NEWS/", "news/.", "^/", "$",
        "\\/en$", "-", "\\-\\d", "=x&", "\\Qa.b\\E", "caf%C3%A9",
    ]
    static let differentialURLs = [
        "https://www.example.com/news/1", "https://www.example.com/tags/x", "https://e.com/a", "https://e.com/a/",
        "https://e.com/news/123/x/ar", "https://e.com/p?page=2&x=1", "https://e.com/$", "https://e.com/a\\",
        "https://e.com/NEWS/1", "https://e.com/a.b", "https://e.com/caf%C3%A9", "https://e.com/x/en",
    ]

    @Test("plain-text patterns match exactly as the regex engine would", arguments: differentialPatterns)
    func literalFastPathAgreesWithRegex(pattern: String) throws {
        let regex = try NSRegularExpression(pattern: pattern)
        let rules = try LinkRules(allow: [pattern])
        let denying = try LinkRules(deny: [pattern])
        for url in Self.differentialURLs {
            let expected = regex.firstMatch(in: url, range: NSRange(location: 0, length: url.utf16.count)) != nil
            #expect(rules.matches(url) == expected, "\(pattern) on \(url)")
            #expect(denying.matches(url) == !expected, "\(pattern) on \(url)")
        }
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

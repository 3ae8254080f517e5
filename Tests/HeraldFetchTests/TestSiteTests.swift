import Foundation
import HeraldFetch
import HeraldTestSupport
import Testing

@Suite("TestSite: files from a root directory")
struct TestSiteFileTests {
    @Test func servesFilesWithValidatorsSoRobotsTxtIsJustAFetch() async throws {
        let root = TestPaths.temporaryDirectory("herald-site")
        try "User-agent: *\nDisallow: /private/\n".write(
            to: root.appendingPathComponent("robots.txt"), atomically: true, encoding: .utf8)
        let site = try await TestSite.start(root: root)
        let fetcher = Fetcher(policy: testPolicy())
        let robots = try #require(await fetcher.fetch(FetchRequest(url: site.url("/robots.txt"))).response)
        #expect(robots.status == 200)
        #expect(robots.contentType == "text/plain")
        #expect(String(decoding: robots.body, as: UTF8.self).contains("Disallow: /private/"))
        let unchanged = try #require(await fetcher.fetch(FetchRequest(
            url: site.url("/robots.txt"), etag: robots.etag, lastModified: robots.lastModified)).response)
        #expect(unchanged.kind == "not_modified")
        let missing = try #require(await fetcher.fetch(FetchRequest(url: site.url("/nothing-here"))).response)
        #expect(missing.status == 404)
        try? FileManager.default.removeItem(at: root)
    }
}

import Foundation
import HeraldFetch
import HeraldTestSupport
import Testing

@Suite("Fetcher: responses, headers, redirects")
struct FetcherTests {
    @Test func fetchesABodyWithUserAgentAndDecodesGzip() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let response = try #require(await fetcher.fetch(FetchRequest(url: site.url("/gzip?text=hello%20world"))).response)
        #expect(response.status == 200)
        #expect(response.kind == "ok")
        #expect(String(decoding: response.body, as: UTF8.self) == "hello world")
        #expect(response.headers["content-encoding"] == "gzip")
        #expect(response.contentType == "text/html")
        #expect(response.charset == "utf-8")
        #expect(response.httpVersion == "1.1")
        #expect(response.attempts == 1)
        #expect(response.finalURL == site.url("/gzip?text=hello%20world"))
        let logged = try #require(await site.requestLog().first)
        #expect(logged.headers["user-agent"] == "herald-test/1.0 (+tests)")
        #expect(logged.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test func exposesTheHeaderCharset() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let response = try #require(await fetcher.fetch(FetchRequest(url: site.url("/charset?charset=iso-8859-1"))).response)
        #expect(response.charset == "ISO-8859-1")
        #expect(response.body.contains(0xE9))            // é in Latin-1, passed through undecoded
    }

    @Test func reportsErrorStatusesAsResponsesWithTheirKind() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let notFound = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/404"))).response)
        #expect(notFound.status == 404)
        #expect(notFound.kind == "http_4xx")
        let broken = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/500"))).response)
        #expect(broken.kind == "http_5xx")
    }

    /// The caller decides each redirect: follow it, get it back unfollowed (to read another
    /// host's robots.txt first), or refuse it; an address literal the policy refuses is refused
    /// even when handed back.
    @Test func theRequestDecidesEachRedirect() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.maxRedirects = 3 })
        var request = FetchRequest(url: site.url("/redirect/3"))
        request.redirectDecision = { $0.hasSuffix("/redirect/1") ? .handBack : .follow }
        let handedBack = try #require(await fetcher.fetch(request).response)
        #expect(handedBack.status == 302 && handedBack.finalURL == site.url("/redirect/2"))
        #expect(handedBack.unfollowedRedirect == site.url("/redirect/1"))
        #expect(await !site.requestLog().contains { $0.path == "/redirect/1" })

        request.redirectDecision = { _ in .refuse(kind: "robots_disallowed", message: "no") }
        guard case let .failure(refused) = await fetcher.fetch(request) else { Issue.record("followed"); return }
        #expect(refused.kind == "robots_disallowed" && refused.url == site.url("/redirect/2"))

        var metadata = FetchRequest(url: site.url("/redirect-to?url=http://169.254.169.254/latest/"))
        metadata.redirectDecision = { _ in .handBack }
        guard case let .failure(unsafe) = await fetcher.fetch(metadata) else { Issue.record("handed back"); return }
        #expect(unsafe.kind == "redirect_refused")
    }

    @Test func followsARedirectChainHopByHop() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.maxRedirects = 3 })
        let response = try #require(await fetcher.fetch(FetchRequest(url: site.url("/redirect/3"))).response)
        #expect(response.status == 200)
        #expect(response.finalURL == site.url("/redirect/0"))
        #expect(response.redirectChain == [site.url("/redirect/3"), site.url("/redirect/2"), site.url("/redirect/1")])
        #expect(await site.requestLog().map(\.path) == ["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0"])
    }

    @Test func refusesMoreRedirectsThanAllowed() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.maxRedirects = 2 })
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/redirect/3"))).failure)
        #expect(failure.kind == "redirect_refused")
        #expect(failure.message.contains("more than 2 redirects"))
        #expect(await site.requestLog().count == 3)
    }

    @Test func refusesARedirectLoop() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.maxRedirects = 10 })
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/loop/a"))).failure)
        #expect(failure.kind == "redirect_refused")
        #expect(failure.message.contains("loop"))
        #expect(await site.requestLog().count == 2)
    }

    @Test func refusesARedirectToAFileURL() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let failure = try #require(await fetcher.fetch(
            FetchRequest(url: site.url("/redirect-to?url=file:///etc/passwd"))).failure)
        #expect(failure.kind == "redirect_refused")
        #expect(failure.message.contains("file:///etc/passwd"))
    }

    @Test func conditionalGetSendsValidatorsAndGets304() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let first = try #require(await fetcher.fetch(FetchRequest(url: site.url("/conditional?etag=v7"))).response)
        #expect(first.status == 200)
        #expect(first.etag == "\"v7\"")
        #expect(first.lastModified == "Wed, 21 Oct 2015 07:28:00 GMT")

        let again = try #require(await fetcher.fetch(FetchRequest(
            url: site.url("/conditional?etag=v7"), etag: first.etag, lastModified: first.lastModified)).response)
        #expect(again.status == 304)
        #expect(again.kind == "not_modified")
        #expect(again.body.isEmpty)
        #expect(again.etag == "\"v7\"")

        let byDate = try #require(await fetcher.fetch(FetchRequest(
            url: site.url("/conditional?etag=v8"), lastModified: first.lastModified)).response)
        #expect(byDate.status == 304)
        let log = await site.requestLog()
        #expect(log[1].headers["if-none-match"] == "\"v7\"")
        #expect(log[1].headers["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT")
    }

    @Test func reusesConnectionsToTheSameHost() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        for _ in 0..<3 {
            _ = await fetcher.fetch(FetchRequest(url: site.url("/status/200")))
        }
        let ports = Set(await site.requestLog().map(\.clientPort))
        #expect(ports.count == 1)
    }
}

@Suite("Fetcher: request headers")
struct RequestHeaderTests {
    @Test func sendsUserAgentAndExtraHeadersOnEveryHop() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let request = FetchRequest(url: site.url("/redirect-to?url=/echo"),
                                   headers: ["Accept": "application/rss+xml", "X-Crawl": "lbci"])
        let response = try #require(await fetcher.fetch(request).response)
        let echoed = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        #expect(echoed?["accept"] == "application/rss+xml")
        #expect(echoed?["x-crawl"] == "lbci")
        let log = await site.requestLog()
        #expect(log.count == 2)
        #expect(log.allSatisfy { $0.headers["user-agent"] == "herald-test/1.0 (+tests)" })
        #expect(log.allSatisfy { $0.headers["x-crawl"] == "lbci" })
    }
}

import Foundation
import HeraldFetch
import HeraldTestSupport
import Testing

@Suite("Fetcher: address screening, size and time limits")
struct FetchSafetyTests {
    @Test func refusesLoopbackUnlessPrivateNetworksAreAllowed() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.allowPrivateNetworks = false })
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/200"))).failure)
        #expect(failure.kind == "address_refused")
        #expect(failure.message.contains("127.0.0.1 (loopback address)"))
        // Refused before connecting: the server never saw a connection, let alone a request.
        #expect(await site.requestLog(settle: .zero).isEmpty)

        let viaName = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/200", host: "localhost"))).failure)
        #expect(viaName.kind == "address_refused")
        #expect(await site.requestLog(settle: .zero).isEmpty)
    }

    @Test func neverContactsTheMetadataAddressAfterARedirect() async throws {
        let site = try await TestSite.start()
        // Even with private networks allowed, metadata endpoints stay refused.
        let fetcher = Fetcher(policy: testPolicy { $0.connectTimeout = .seconds(5); $0.timeout = .seconds(5) })
        let target = "http://169.254.169.254/latest/meta-data/"
        let result = await fetcher.fetch(FetchRequest(url: site.url("/redirect-to?url=\(target)")))
        let failure = try #require(result.failure)
        #expect(failure.kind == "redirect_refused")
        #expect(failure.url == target)
        // This message comes only from the open-socket callback, which refuses to create the
        // socket: no connection to 169.254.169.254 was even attempted.
        #expect(failure.message.contains("169.254.169.254 (cloud metadata address)"))
        #expect(failure.redirectChain == [site.url("/redirect-to?url=\(target)")])
    }

    @Test func refusesNonHTTPRequestURLs() async throws {
        let fetcher = Fetcher(policy: testPolicy())
        let failure = try #require(await fetcher.fetch(FetchRequest(url: "file:///etc/passwd")).failure)
        #expect(failure.kind == "unsupported_scheme")
        let ftp = try #require(await fetcher.fetch(FetchRequest(url: "ftp://127.0.0.1/")).failure)
        #expect(ftp.kind == "unsupported_scheme")
    }

    @Test func abortsABodyOverTheLimit() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.maxBodyBytes = 100_000 })
        let declared = try #require(await fetcher.fetch(FetchRequest(url: site.url("/big?bytes=300000"))).failure)
        #expect(declared.kind == "too_large")
        // Without Content-Length only the write callback can notice.
        let chunked = try #require(await fetcher.fetch(FetchRequest(url: site.url("/big?bytes=3000000&chunked=1"))).failure)
        #expect(chunked.kind == "too_large")
        #expect(chunked.message.contains("100000 bytes"))
        let fits = try #require(await fetcher.fetch(FetchRequest(url: site.url("/big?bytes=100000&chunked=1"))).response)
        #expect(fits.bytes == 100_000)
        let raised = try #require(await fetcher.fetch(
            FetchRequest(url: site.url("/big?bytes=300000"), maxBodyBytes: 400_000)).response)
        #expect(raised.bytes == 300_000)
    }

    @Test func abortsAGzipBombCountingDecodedBytes() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.maxBodyBytes = 1_000_000; $0.timeout = .seconds(10) })
        // The first request makes the server build (and cache) the bomb.
        #expect(await fetcher.fetch(FetchRequest(url: site.url("/gzip-bomb?mb=100"))).failure?.kind == "too_large")
        let started = ContinuousClock.now
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/gzip-bomb?mb=100"))).failure)
        let elapsed = ContinuousClock.now - started
        #expect(failure.kind == "too_large")
        #expect(failure.message.contains("1000000 bytes (decoded)"))
        // Inflating and buffering 100 MiB would take seconds and 100 MiB of memory; stopping
        // at 1 MB takes milliseconds (the bound is loose for a busy machine).
        #expect(elapsed < .seconds(1))
    }

    @Test func timesOutWhenTheServerSendsNoHeaders() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy { $0.timeout = .seconds(1) })
        let started = ContinuousClock.now
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/stall-headers?seconds=8"))).failure)
        let elapsed = ContinuousClock.now - started
        #expect(failure.kind == "timeout")
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5))   // loose: busy CI
    }

    @Test func timesOutWhenTheBodyStalls() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy {
            $0.timeout = .seconds(10); $0.lowSpeedLimit = 1000; $0.lowSpeedTime = .seconds(1)
        })
        let started = ContinuousClock.now
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/stall-body?seconds=9"))).failure)
        #expect(failure.kind == "timeout")
        #expect(ContinuousClock.now - started < .seconds(6))   // the low-speed limit, not the total
    }

    @Test("a body cut short of its Content-Length is truncated, a broken chunked encoding a bad response; neither a reset")
    func namesBrokenAnswers() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        let short = try #require(await fetcher.fetch(FetchRequest(url: site.url("/short-body"))).failure)
        #expect(short.kind == "truncated")
        #expect(short.message.contains("/short-body"))
        let chunk = try #require(await fetcher.fetch(FetchRequest(url: site.url("/bad-chunk"))).failure)
        #expect(chunk.kind == "bad_response")
        #expect(RetryPolicy().isRetryable(kind: "truncated") && !RetryPolicy().isRetryable(kind: "bad_response"))
    }

    @Test func reportsARefusedConnection() async throws {
        let fetcher = Fetcher(policy: testPolicy())
        // Port 1 on loopback: nothing listens there. (No dns_error test: resolving a missing
        // name would send a query to the resolver, and tests contact nothing but 127.0.0.1.)
        let refused = try #require(await fetcher.fetch(FetchRequest(url: "http://127.0.0.1:1/")).failure)
        #expect(refused.kind == "connection_failed")
        #expect(refused.message.contains("127.0.0.1"))
    }
}

@Suite("Fetcher: TLS")
struct FetchTLSTests {
    @Test func refusesAnUntrustedCertificate() async throws {
        let site = try await TestSite.start(tls: true)
        let fetcher = Fetcher(policy: testPolicy())
        let failure = try #require(await fetcher.fetch(FetchRequest(url: site.url("/status/200"))).failure)
        #expect(failure.kind == "tls_error")
        #expect(await site.requestLog(settle: .zero).isEmpty)    // no request went over it
    }
}

@Suite("Fetcher: malformed input")
struct MalformedInputTests {
    @Test func namesInvalidURLsAndBrokenEncodings() async throws {
        let site = try await TestSite.start()
        let fetcher = Fetcher(policy: testPolicy())
        #expect(await fetcher.fetch(FetchRequest(url: "not a url")).failure?.kind == "invalid_url")
        #expect(await fetcher.fetch(FetchRequest(url: "http:///path-only")).failure?.kind == "invalid_url")
        let broken = try #require(await fetcher.fetch(FetchRequest(
            url: site.url("/respond?h=Content-Encoding:gzip&body=this-is-not-gzip"))).failure)
        #expect(broken.kind == "decode_error")
        #expect(broken.message.contains(site.url("/respond")))
    }
}

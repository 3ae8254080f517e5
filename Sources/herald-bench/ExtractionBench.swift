import Foundation
import Glibc
import HeraldExtract
import HeraldXML

/// Extraction speed on the evaluation corpus: whole `ArticleExtractor.extract` (decode, parse,
/// metadata, body, hash) against a bare libxml2 parse of the same pages, on one core, with the
/// files read and un-gzipped before any timing starts.
struct ExtractionBench {
    /// Each page with the address a crawl would have fetched it from (the extractor reads dates
    /// in URL paths and resolves links against it).
    let pages: [(name: String, bytes: [UInt8], url: String?)]

    /// Loads every page under `corpus`: zyte-dev/html/*.html.gz, readability-dev/*/source.html,
    /// seed/*.html.
    static func load(corpus: URL) throws -> ExtractionBench {
        let fm = FileManager.default
        var pages: [(String, [UInt8], String?)] = []
        let zyte = corpus.appendingPathComponent("zyte-dev/html")
        let truth = (try? JSONSerialization.jsonObject(with: Data(contentsOf: corpus.appendingPathComponent("zyte-dev/ground-truth.json"))))
            as? [String: [String: Any]] ?? [:]
        for name in try fm.contentsOfDirectory(atPath: zyte.path).sorted() where name.hasSuffix(".html.gz") {
            let gz = try [UInt8](Data(contentsOf: zyte.appendingPathComponent(name)))
            let id = String(name.dropLast(".html.gz".count))
            pages.append((name, try Gzip.decompress(gz), truth[id]?["url"] as? String))
        }
        let readability = corpus.appendingPathComponent("readability-dev")
        for name in try fm.contentsOfDirectory(atPath: readability.path).sorted() {
            let file = readability.appendingPathComponent(name).appendingPathComponent("source.html")
            if let data = try? Data(contentsOf: file) { pages.append((name, [UInt8](data), "http://fakehost/test/page.html")) }
        }
        let seed = corpus.appendingPathComponent("seed")
        for name in try fm.contentsOfDirectory(atPath: seed.path).sorted() where name.hasSuffix(".html") {
            pages.append((name, [UInt8](try Data(contentsOf: seed.appendingPathComponent(name))), nil))
        }
        return ExtractionBench(pages: pages)
    }

    var totalBytes: Int { pages.reduce(0) { $0 + $1.bytes.count } }

    /// CPU seconds of this thread for one pass of `body` over all pages: on a shared machine
    /// wall time would also count the time other processes held the core.
    func timePass(_ body: ([UInt8], String?) -> Void) -> Double {
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let start = cpu()
        for page in pages { body(page.bytes, page.url) }
        return cpu() - start
    }

    func run(seconds: Double) {
        let extractor = ArticleExtractor()
        let mb = Double(totalBytes) / 1_000_000
        print(String(format: "extract: %d pages, %.1f MB (zyte-dev, readability-dev, seed), one core",
                     pages.count, mb))
        var failures = 0
        let extract: ([UInt8], String?) -> Void = { bytes, url in
            if (try? extractor.extract(bytes: bytes, url: url)) == nil { failures += 1 }
        }
        let parse: ([UInt8], String?) -> Void = { bytes, _ in _ = try? HTMLDocument(bytes: bytes, encoding: "UTF-8") }
        _ = timePass(extract) // warm-up
        _ = timePass(parse)
        failures = 0
        // Passes alternate, and each side keeps its fastest: on a shared machine the slow passes
        // measure the neighbours, the fastest one the code.
        var extractPass = Double.infinity, parsePass = Double.infinity, spent = 0.0
        repeat {
            let e = timePass(extract), p = timePass(parse)
            extractPass = min(extractPass, e)
            parsePass = min(parsePass, p)
            spent += e + p
        } while spent < 2 * seconds
        let n = Double(pages.count)
        print(String(format: "  full extract     %7.1f pages/s  %6.1f MB/s  %6.2f ms/page",
                     n / extractPass, mb / extractPass, extractPass / n * 1000))
        print(String(format: "  libxml2 parse    %7.1f pages/s  %6.1f MB/s  %6.2f ms/page (floor)",
                     n / parsePass, mb / parsePass, parsePass / n * 1000))
        print(String(format: "  extract / parse  %7.2fx", extractPass / parsePass))
        if failures > 0 { print("  (\(failures) extraction errors)") }
        print(String(format: "  peak RSS after corpus runs: %.1f MB", PeakRSS.megabytes()))
    }

    /// One synthetic 50 MB article page: time and peak memory for a page far beyond normal size.
    static func runHugePage() {
        let paragraph = "<p>" + String(repeating: "A long line of ordinary news prose, with commas, and words. ", count: 16) + "</p>\n"
        let html = "<html><body><article>" + String(repeating: paragraph, count: 50_000_000 / paragraph.utf8.count)
            + "</article></body></html>"
        let bytes = Array(html.utf8)
        let before = PeakRSS.megabytes()
        let clock = ContinuousClock()
        let start = clock.now
        let record = try? ArticleExtractor().extract(bytes: bytes)
        let d = clock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        print(String(format: "extract of one %.0f MB page: %.2f s, %d words, peak RSS %.0f MB (was %.0f MB)",
                     Double(bytes.count) / 1_000_000, seconds, record?.wordCount ?? 0,
                     PeakRSS.megabytes(), before))
    }
}

/// The process's peak resident set size (getrusage `ru_maxrss`, kilobytes on Linux).
enum PeakRSS {
    static func megabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1024
    }
}

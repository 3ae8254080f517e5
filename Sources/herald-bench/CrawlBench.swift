import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// End-to-end crawl benchmark: the release `herald crawl` binary against a local news site of
/// 10,000+ article pages (newssite.py --mode corpus: the corpus pages' own ~200 KB HTML, words
/// rewritten per copy so every article is distinct), served by nginx so the server is not the
/// bottleneck, politeness off for the local host. Prints distinct articles/s, CPU seconds per
/// 1,000 pages and peak RSS of the crawler at 1,000 and at 10,000+ pages.
///
/// The site is generated once into `var/bench/site` (about 2 GB) and reused; each crawl starts
/// from empty state, spool and logs. Environment: `HERALD_BENCH_ARTICLES` (default 10000),
/// `HERALD_BENCH_PORT` (default 18931; the site embeds its address), `HERALD_BIN` (default
/// `.build/release/herald`).
struct CrawlBench {
    let env = ProcessInfo.processInfo.environment
    var articles: Int { Int(env["HERALD_BENCH_ARTICLES"] ?? "") ?? 10_000 }
    var port: Int { Int(env["HERALD_BENCH_PORT"] ?? "") ?? 18931 }
    var base: String { "http://127.0.0.1:\(port)" }
    let work = URL(fileURLWithPath: "var/bench").standardizedFileURL
    var site: URL { work.appendingPathComponent("site") }
    var herald: URL { URL(fileURLWithPath: env["HERALD_BIN"] ?? ".build/release/herald") }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// One measured `herald crawl` run.
    struct Measurement {
        var pages = 0
        var new = 0
        var wall: Double = 0
        var cpu: Double = 0
        var peakRSSKiB = 0
        var summary = ""
    }

    func run() throws {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try generateSiteIfNeeded()
        let nginx = try startNginx()
        defer { nginx.terminate(); nginx.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.5)
        guard nginx.isRunning else {
            throw Failure("nginx did not start on \(base) (port taken? see var/bench/nginx/error.log)")
        }

        let small = try crawl(maxPages: 1000)
        print(String(format: "crawl bench, 1,000 pages: %d pages, %d new articles in %.1f s; %.2f CPU-s per 1,000 pages; peak RSS %.0f MB",
                     small.pages, small.new, small.wall, small.cpu * 1000 / Double(max(small.pages, 1)),
                     Double(small.peakRSSKiB) / 1024))
        let full = try crawl(maxPages: articles * 2)
        print(String(format: "crawl bench, whole site: %d pages, %d new articles in %.1f s = %.0f articles/s; %.2f CPU-s per 1,000 pages; peak RSS %.0f MB",
                     full.pages, full.new, full.wall, Double(full.new) / full.wall,
                     full.cpu * 1000 / Double(max(full.pages, 1)), Double(full.peakRSSKiB) / 1024))
        print("  (targets: >= 250 articles/s, < 5 CPU-s per 1,000 pages, < 200 MB at 10,000 pages)")
        print("  last summary: " + full.summary.replacingOccurrences(of: "\n", with: " | "))
    }

    // MARK: Site and server

    private func generateSiteIfNeeded() throws {
        let manifest = site.appendingPathComponent("manifest.json")
        if let data = try? Data(contentsOf: manifest),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           object["base"] as? String == base,
           (object["distinct_groups"] as? Int ?? 0) >= articles {
            return
        }
        print("crawl bench: generating a \(articles)-article site into \(site.path) (once; about 2 GB, a few minutes)")
        try? FileManager.default.removeItem(at: site)
        let status = try runToEnd("/usr/bin/env", ["python3", "Tests/HeraldTestSupport/Resources/newssite.py",
                                                   "--mode", "corpus", "--articles", String(articles),
                                                   "--out", site.path, "--base", base,
                                                   "--corpus", "../shared/corpus"])
        guard status == 0 else { throw Failure("newssite.py failed with status \(status)") }
    }

    private func startNginx() throws -> Process {
        let dir = work.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        let conf = """
            worker_processes 1;
            error_log \(dir.path)/error.log;
            pid \(dir.path)/nginx.pid;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(dir.path)/tmp;
                proxy_temp_path \(dir.path)/tmp;
                fastcgi_temp_path \(dir.path)/tmp;
                uwsgi_temp_path \(dir.path)/tmp;
                scgi_temp_path \(dir.path)/tmp;
                sendfile on;
                keepalive_requests 100000;
                types { text/html html; application/xml xml; application/rss+xml rss;
                        application/atom+xml atom; application/rdf+xml rdf; text/plain txt;
                        application/gzip gz; application/json json; }
                default_type application/octet-stream;
                charset utf-8;
                server {
                    listen 127.0.0.1:\(port);
                    root \(site.path);
                    index index.html;
                }
            }
            """
        let file = dir.appendingPathComponent("nginx.conf")
        try conf.write(to: file, atomically: true, encoding: .utf8)
        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-c", file.path, "-p", dir.path, "-g", "daemon off;"]
        nginx.standardError = FileHandle.standardError
        do {
            try nginx.run()
        } catch {
            throw Failure("cannot start nginx (make bench installs it): \(error)")
        }
        return nginx
    }

    // MARK: Crawling

    private func crawl(maxPages: Int) throws -> Measurement {
        let dir = work.appendingPathComponent("run")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            spool_dir: spool
            state_dir: state
            log_dir: log
            crawls_dir: .
            control_socket: control.sock
            user_agent: herald-bench/1.0
            concurrency: 8
            per_host_concurrency: 8
            per_host_delay: 0s
            timeout: 30s
            allow_private_networks: true

            """.write(to: dir.appendingPathComponent("herald.yaml"), atomically: true, encoding: .utf8)
        try """
            start: [\(base)/]
            sitemaps: [\(base)/sitemap_index.xml]
            follow: {max_depth: 1}
            articles: {allow: ['/news/[a-z]+/\\d+-[^/]*\\.html$']}
            limits: {max_pages: \(maxPages), max_duration: 2h}
            politeness: {per_host_concurrency: 8, per_host_delay: 0s}

            """.write(to: dir.appendingPathComponent("bench.yaml"), atomically: true, encoding: .utf8)

        let out = dir.appendingPathComponent("stdout.txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let process = Process()
        process.executableURL = herald
        process.arguments = ["crawl", "--config", dir.appendingPathComponent("herald.yaml").path,
                             dir.appendingPathComponent("bench.yaml").path, "--max-pages", String(maxPages)]
        process.standardOutput = try FileHandle(forWritingTo: out)
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let started = Date()
        try process.run()
        var peak = 0
        while process.isRunning {
            if let hwm = Self.peakRSS(pid: process.processIdentifier) { peak = max(peak, hwm) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.waitUntilExit()
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        var m = Measurement()
        m.wall = Date().timeIntervalSince(started)
        m.cpu = Self.seconds(after.ru_utime) + Self.seconds(after.ru_stime)
            - Self.seconds(before.ru_utime) - Self.seconds(before.ru_stime)
        m.peakRSSKiB = peak
        m.summary = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure("herald crawl exited \(process.terminationStatus): \(m.summary)")
        }
        m.pages = Self.number(after: "pages fetched ", in: m.summary)
        m.new = Self.number(after: "articles new ", in: m.summary)
        return m
    }

    static func peakRSS(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }

    static func number(after label: String, in text: String) -> Int {
        guard let range = text.range(of: label) else { return 0 }
        return Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    private func runToEnd(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// `herald-bench crawl`: see `CrawlBench`.
func runCrawlBench() {
    do {
        try CrawlBench().run()
    } catch {
        print("crawl bench failed: \(error)")
        exit(1)
    }
}

import Foundation
import HeraldExtract
import HeraldFormats
import HeraldXML
import Yams

/// One site's crawl (`Crawls/<name>.yaml`): where discovery starts, which links to follow,
/// which pages are articles, how much and how politely to fetch, and optional per-site XPath
/// overrides for extraction. Immutable and validated: every regex, XPath, URL and schedule in
/// it compiled when it was loaded.
public struct CrawlDefinition: Sendable, Hashable {
    /// Which discovered links are fetched and how deep discovery goes.
    public struct Follow: Sendable, Hashable {
        /// Allow/deny patterns. With an empty allow list, links on the hosts of the start
        /// pages, feeds and sitemaps are followed (see `CrawlDefinition.shouldFollow`).
        public var rules: URLRules
        /// Link hops from a start page, feed or sitemap entry (which are depth 0).
        public var maxDepth: Int

        public init(rules: URLRules = URLRules(), maxDepth: Int = 2) {
            self.rules = rules
            self.maxDepth = maxDepth
        }
    }

    /// How much one run may do.
    public struct Limits: Sendable, Hashable {
        /// Pages fetched per run (robots.txt, feeds and sitemaps included).
        public var maxPages: Int
        /// Wall-clock budget of one run; when it is spent the run stops taking new URLs.
        public var maxDuration: Duration

        public init(maxPages: Int = 1000, maxDuration: Duration = .seconds(1800)) {
            self.maxPages = maxPages
            self.maxDuration = maxDuration
        }
    }

    /// Per-site overrides of the global politeness settings; nil means the global value.
    public struct Politeness: Sendable, Hashable {
        public var perHostDelay: Duration?
        public var perHostConcurrency: Int?

        public init(perHostDelay: Duration? = nil, perHostConcurrency: Int? = nil) {
            self.perHostDelay = perHostDelay
            self.perHostConcurrency = perHostConcurrency
        }
    }

    /// The crawl's name (the file name without `.yaml` unless the file sets `name`).
    public var name: String
    /// The file it was loaded from (nil when built in code).
    public var file: URL?
    /// Identifies the exact text the definition was parsed from (64-bit FNV-1a, 16 hex
    /// digits; empty when built in code): run logs record it so a run can be traced to the
    /// version of the file it used, and a reload can tell which files changed.
    public var sourceDigest: String = ""
    public var schedule: Schedule
    /// Pages to start link discovery from.
    public var start: [URL]
    /// RSS/Atom feeds.
    public var feeds: [URL]
    /// Sitemaps, sitemap indexes, news sitemaps (`.gz` too).
    public var sitemaps: [URL]
    public var follow: Follow
    /// Which fetched pages are articles; others are only link sources. An empty allow list
    /// makes every followed page an article candidate (min_body_words still applies).
    public var articles: URLRules
    public var limits: Limits
    public var politeness: Politeness
    /// Per-site XPath expressions (checked by libxml2 when loaded) that take precedence over
    /// the generic extraction: the extractor's own override type, handed to it unchanged.
    public var extract: ArticleExtractor.Overrides
    /// When true, feed items and sitemap entries dated (pubDate/updated/lastmod) before the
    /// start of this crawl's last successful run are not fetched; undated entries always are.
    public var skipOlderThanLastRun: Bool

    /// Every top-level key a crawl definition accepts.
    public static let keys = [
        "name", "schedule", "start", "feeds", "sitemaps", "follow", "articles", "limits",
        "politeness", "extract", "skip_older_than_last_run",
    ]
    static let followKeys = ["allow", "deny", "max_depth"]
    static let articleKeys = ["allow", "deny"]
    static let limitKeys = ["max_pages", "max_duration"]
    static let politenessKeys = ["per_host_delay", "per_host_concurrency"]
    static let extractKeys = ["body", "published", "title", "authors"]

    public init(name: String, file: URL? = nil, schedule: Schedule = .defaultSchedule, start: [URL] = [],
                feeds: [URL] = [], sitemaps: [URL] = [], follow: Follow = Follow(), articles: URLRules = URLRules(),
                limits: Limits = Limits(), politeness: Politeness = Politeness(),
                extract: ArticleExtractor.Overrides = ArticleExtractor.Overrides(), skipOlderThanLastRun: Bool = false) {
        self.name = name
        self.file = file
        self.schedule = schedule
        self.start = start
        self.feeds = feeds
        self.sitemaps = sitemaps
        self.follow = follow
        self.articles = articles
        self.limits = limits
        self.politeness = politeness
        self.extract = extract
        self.skipOlderThanLastRun = skipOlderThanLastRun
    }

    /// Lower-cased hosts of the start pages, feeds and sitemaps: the default follow scope.
    public var seedHosts: Set<String> {
        Set((start + feeds + sitemaps).compactMap { $0.host?.lowercased() })
    }

    /// Whether a discovered link should be fetched (depth is the engine's to check). With an
    /// empty `follow.allow`, only links on a seed host or its subdomains are (a leading `www.`
    /// does not count, so `www.example.org` and `example.org` are one site): an unrestricted
    /// crawl would wander off across the web.
    public func shouldFollow(_ url: URL) -> Bool {
        LinkScope(self).shouldFollow(url.absoluteString, host: url.host ?? "")
    }

    /// Whether `url` is on the site of a start page, feed or sitemap (the host or one of its
    /// subdomains, `www.` ignored): where a feed a page announces may be used from.
    public func isOnSeedSite(_ url: URL) -> Bool {
        LinkScope(self).isOnSeedSite(host: url.host ?? "")
    }

    /// `shouldFollow` and `isOnSeedSite` with the seed sites worked out once, for a crawl
    /// engine that checks every link of every page. Immutable; safe to share between tasks.
    public struct LinkScope: Sendable {
        private let sites: [String]
        private let rules: URLRules

        public init(_ definition: CrawlDefinition) {
            sites = Set(definition.seedHosts.map(LinkScope.siteHost)).sorted()
            rules = definition.follow.rules
        }

        /// `CrawlDefinition.shouldFollow` for an absolute URL and its (lower-case) host.
        public func shouldFollow(_ url: String, host: String) -> Bool {
            if rules.allow.isEmpty, !isOnSeedSite(host: host) { return false }
            return rules.admits(url)
        }

        /// `CrawlDefinition.isOnSeedSite` for a host.
        public func isOnSeedSite(host: String) -> Bool {
            guard !host.isEmpty else { return false }
            let site = Self.siteHost(host)
            return sites.contains { site == $0 || site.hasSuffix("." + $0) }
        }

        static func siteHost(_ host: String) -> String {
            let lower = host.lowercased()
            return lower.hasPrefix("www.") ? String(lower.dropFirst(4)) : lower
        }
    }

    /// Whether a fetched page should be extracted as an article.
    public func isArticle(_ url: URL) -> Bool {
        articles.admits(url.absoluteString)
    }

    // MARK: Loading

    /// Reads and validates a crawl definition file; throws a `ConfigurationError` listing
    /// every problem in it. `displayName` is how problems name the file.
    public static func load(from url: URL, displayName: String? = nil) throws(ConfigurationError) -> CrawlDefinition {
        let name = displayName ?? url.path
        let text = try YAMLFile.text(of: url, name: name)
        var definition = try parse(yaml: text, file: name, defaultName: defaultName(for: url))
        definition.file = url.standardizedFileURL
        return definition
    }

    /// The name a file gives a crawl that does not set `name`: its file name without extension.
    public static func defaultName(for url: URL) -> String {
        url.deletingPathExtension().lastPathComponent
    }

    /// Validates YAML text. `file` names the file in problems; `defaultName` is used when the
    /// text has no `name`.
    public static func parse(yaml text: String, file: String, defaultName: String) throws(ConfigurationError) -> CrawlDefinition {
        var reader = YAMLFile(file: file)
        guard let root = reader.compose(text) else {
            if reader.problems.isEmpty {
                reader.report("empty crawl definition: give at least one of start, feeds or sitemaps", line: 1)
            }
            throw ConfigurationError(problems: reader.problems)
        }
        var definition = CrawlDefinition(name: defaultName)
        guard let keys = reader.mapping(root, path: "", known: keys) else {
            throw ConfigurationError(problems: reader.problems)
        }

        if let node = keys["name"], let name = reader.nonEmptyString(node, "name") {
            if isValidName(name) {
                definition.name = name
            } else {
                reader.report("name \"\(name)\" may only contain letters, digits, '.', '-' and '_' (it names files and log entries)", at: node)
            }
        } else if keys["name"] == nil, !isValidName(defaultName) {
            reader.report("the file name \"\(defaultName)\" is not usable as a crawl name: set name (letters, digits, '.', '-', '_')", line: 1)
        }
        if let node = keys["schedule"], let text = reader.nonEmptyString(node, "schedule") {
            do throws(ValueSyntaxError) {
                definition.schedule = try Schedule(parsing: text)
            } catch {
                reader.report("schedule: \(error.message)", at: node)
            }
        }
        definition.start = urls(keys["start"], "start", &reader)
        definition.feeds = urls(keys["feeds"], "feeds", &reader)
        definition.sitemaps = urls(keys["sitemaps"], "sitemaps", &reader)
        if keys["start"] == nil, keys["feeds"] == nil, keys["sitemaps"] == nil {
            reader.report("nothing to crawl: give at least one of start, feeds or sitemaps", at: root)
        }

        if let node = keys["follow"], let follow = reader.mapping(node, path: "follow", known: followKeys) {
            definition.follow.rules = rules(follow, &reader)
            if let n = follow["max_depth"], let v = reader.integer(n, "follow.max_depth", minimum: 0) {
                definition.follow.maxDepth = v
            }
        }
        if let node = keys["articles"], let articles = reader.mapping(node, path: "articles", known: articleKeys) {
            definition.articles = rules(articles, &reader)
        }
        if let node = keys["limits"], let limits = reader.mapping(node, path: "limits", known: limitKeys) {
            if let n = limits["max_pages"], let v = reader.integer(n, "limits.max_pages", minimum: 1) {
                definition.limits.maxPages = v
            }
            if let n = limits["max_duration"], let v = reader.duration(n, "limits.max_duration", allowZero: false) {
                definition.limits.maxDuration = v
            }
        }
        if let node = keys["politeness"], let politeness = reader.mapping(node, path: "politeness", known: politenessKeys) {
            if let n = politeness["per_host_delay"], let v = reader.duration(n, "politeness.per_host_delay") {
                definition.politeness.perHostDelay = v
            }
            if let n = politeness["per_host_concurrency"], let v = reader.integer(n, "politeness.per_host_concurrency", minimum: 1) {
                definition.politeness.perHostConcurrency = v
            }
        }
        if let node = keys["extract"], let extract = reader.mapping(node, path: "extract", known: extractKeys) {
            definition.extract.body = xpath(extract, "body", &reader)
            definition.extract.published = xpath(extract, "published", &reader)
            definition.extract.title = xpath(extract, "title", &reader)
            definition.extract.authors = xpath(extract, "authors", &reader)
        }
        if let node = keys["skip_older_than_last_run"], let v = reader.bool(node, "skip_older_than_last_run") {
            definition.skipOlderThanLastRun = v
        }

        guard reader.problems.isEmpty else { throw ConfigurationError(problems: reader.problems) }
        definition.sourceDigest = digest(text)
        return definition
    }

    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    private static func urls(_ node: Yams.Node?, _ name: String, _ reader: inout YAMLFile) -> [URL] {
        guard let node else { return [] }
        var result: [URL] = []
        for (text, item) in reader.scalarList(node, name) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased() else {
                reader.report("\(name): \"\(text)\" is not a URL", at: item)
                continue
            }
            guard scheme == "http" || scheme == "https" else {
                reader.report("\(name): \"\(text)\" is not an http or https URL", at: item)
                continue
            }
            guard let host = url.host, !host.isEmpty else {
                reader.report("\(name): \"\(text)\" has no host", at: item)
                continue
            }
            result.append(url)
        }
        return result
    }

    private static func rules(_ mapping: YAMLFile.Mapping, _ reader: inout YAMLFile) -> URLRules {
        func patterns(_ key: String) -> [URLPattern] {
            guard let node = mapping[key] else { return [] }
            let name = mapping.name(key)
            return reader.scalarList(node, name).compactMap { text, item in
                do throws(ValueSyntaxError) {
                    return try URLPattern(text)
                } catch {
                    reader.report("\(name): \(error.message)", at: item)
                    return nil
                }
            }
        }
        return URLRules(allow: patterns("allow"), deny: patterns("deny"))
    }

    private static func xpath(_ mapping: YAMLFile.Mapping, _ key: String, _ reader: inout YAMLFile) -> String? {
        let name = mapping.name(key)
        guard let node = mapping[key], let expression = reader.nonEmptyString(node, name) else { return nil }
        do {
            try XPath.validate(expression)
        } catch {
            reader.report("\(name): invalid XPath expression \"\(expression)\"", at: node)
            return nil
        }
        return expression
    }
}

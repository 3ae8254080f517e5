/// What one host's robots.txt lets herald fetch, per RFC 9309: the rules of the group for our
/// product token (or the `*` group), most specific match wins, `Allow` wins ties, `*` and `$`
/// wildcards, percent-encoding normalized on both sides; plus `Crawl-delay` for our group and
/// the file's `Sitemap:` lines. Immutable and `Sendable`.
public struct RobotsPolicy: Sendable, Equatable {
    /// RFC 9309 asks crawlers to parse at least 500 KiB; herald parses exactly that much.
    public static let maxBytes = 500 * 1024

    /// Why the policy is what it is, for the crawl log.
    public enum Basis: Sendable, Equatable {
        /// Rules parsed from a robots.txt body.
        case parsed
        /// robots.txt unavailable (4xx, or redirects exhausted): everything allowed.
        case unavailable
        /// robots.txt unreachable (5xx, 429, network failure): nothing allowed this run.
        case unreachable
    }

    struct Rule: Sendable, Equatable {
        var allow: Bool
        /// The normalized pattern; its byte count is the rule's specificity.
        var pattern: [UInt8]
    }

    public let basis: Basis
    let rules: [Rule]
    /// `Crawl-delay` of the group that applies to us, in seconds.
    public let crawlDelay: Double?
    /// `Sitemap:` URLs, whichever group they appear in.
    public let sitemaps: [CrawlURL]

    /// Everything allowed (robots.txt missing).
    public static let allowAll = RobotsPolicy(basis: .unavailable, rules: [], crawlDelay: nil, sitemaps: [])
    /// Nothing allowed (robots.txt unreachable).
    public static let disallowAll = RobotsPolicy(basis: .unreachable, rules: [], crawlDelay: nil, sitemaps: [])

    private init(basis: Basis, rules: [Rule], crawlDelay: Double?, sitemaps: [CrawlURL]) {
        self.basis = basis
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// The policy for a robots.txt fetch outcome. `status` is the final HTTP status after the
    /// fetcher followed redirects, nil when the host could not be reached at all (DNS, connect,
    /// timeout). 2xx: the body's rules; 3xx (redirects exhausted) and 4xx: allow all; 429, 5xx,
    /// anything else and nil: disallow all. 429 counts as unreachable although RFC 9309 groups
    /// it with 4xx: a host asking us to slow down should not get a crawl of everything.
    public static func forResponse(status: Int?, body: [UInt8], url: CrawlURL, userAgent: String) -> RobotsPolicy {
        guard let status else { return disallowAll }
        switch status {
        case 200...299: return RobotsPolicy(parsing: body, url: url, userAgent: userAgent)
        case 429: return disallowAll
        case 300...499: return allowAll
        default: return disallowAll
        }
    }

    /// Parses a robots.txt body (only the first `maxBytes`). `url` is where it was fetched
    /// from (relative `Sitemap:` URLs resolve against it); `userAgent` is our User-Agent header
    /// or just its product token.
    public init(parsing body: [UInt8], url: CrawlURL, userAgent: String) {
        let token = RobotsPolicy.productToken(fromUserAgent: userAgent)
        var bytes = body.count > RobotsPolicy.maxBytes ? Array(body[..<RobotsPolicy.maxBytes]) : body
        if body.count > RobotsPolicy.maxBytes, let lastBreak = bytes.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            bytes.removeSubrange(lastBreak...) // never act on a rule cut in half
        }
        // A byte-order mark, or the start of one cut short, must not spoil the first line.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes.removeFirst(zip(bytes, bom).prefix { $0 == $1 }.count)

        struct Group { var agents: [String] = []; var rules: [Rule] = []; var crawlDelay: Double? }
        var groups: [Group] = []
        var current: Group?
        var lastWasAgent = false
        var sitemaps: [CrawlURL] = []

        for rawLine in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            var line = rawLine[...]
            if let hash = line.firstIndex(of: UInt8(ascii: "#")) { line = line[..<hash] }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = String(decoding: line[..<colon], as: UTF8.self).trimmingWhitespace().lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
            let field = RobotsPolicy.keyAliases[key]
            switch field {
            case "user-agent":
                if !lastWasAgent, let g = current { groups.append(g); current = nil }
                if current == nil { current = Group() }
                current?.agents.append(RobotsPolicy.agentToken(value))
                lastWasAgent = true
            case "allow", "disallow":
                // Rules before any User-agent line belong to no group (RFC 9309 2.1).
                guard current != nil else { continue }
                lastWasAgent = false
                guard !value.isEmpty else { continue } // "Disallow:" with no path allows all
                current?.rules.append(Rule(allow: field == "allow",
                                           pattern: RobotsPolicy.normalizePattern(value)))
            case "crawl-delay":
                guard current != nil else { continue }
                lastWasAgent = false
                if let seconds = Double(value), seconds.isFinite, seconds >= 0, current?.crawlDelay == nil {
                    current?.crawlDelay = seconds
                }
            case "sitemap":
                if let u = CrawlURL(value, relativeTo: url), !sitemaps.contains(u) { sitemaps.append(u) }
            default:
                break
            }
        }
        if let g = current { groups.append(g) }

        var chosen = groups.filter { $0.agents.contains(token) }
        if chosen.isEmpty { chosen = groups.filter { $0.agents.contains("*") } }
        basis = .parsed
        rules = chosen.flatMap(\.rules)
        crawlDelay = chosen.lazy.compactMap(\.crawlDelay).first
        self.sitemaps = sitemaps
    }

    /// True when `url` (which must be on the host this policy came from) may be fetched: its
    /// path and query as requested, parameters in the site's order.
    public func allows(_ url: CrawlURL) -> Bool {
        allows(path: url.pathAndQuery)
    }

    /// True when the path (with query, as in the request line) may be fetched.
    public func allows(path: String) -> Bool {
        switch basis {
        case .unavailable: return true
        case .unreachable: return path == "/robots.txt"
        case .parsed: break
        }
        if rules.isEmpty || path == "/robots.txt" { return true }
        // A literal * or $ in the URL is compared in its escaped form, so a rule can name it as
        // %2A or %24 (RFC 9309 2.2.3) without it acting as a wildcard.
        let target = URLParser.normalizePercent(Array(path.utf8)[...]) { b in
            URLParser.isAlwaysEncoded(b) || b == UInt8(ascii: "*") || b == UInt8(ascii: "$")
        }
        var best: Rule?
        for rule in rules where RobotsPolicy.matches(rule.pattern, target) {
            guard let b = best else { best = rule; continue }
            if rule.pattern.count > b.pattern.count || (rule.pattern.count == b.pattern.count && rule.allow) {
                best = rule
            }
        }
        return best?.allow ?? true
    }

    /// The product token robots.txt groups are matched against: `herald` for
    /// `herald/1.0 (+https://example.org/bot)`, and for `Mozilla/5.0 (compatible; herald/1.0)`.
    public static func productToken(fromUserAgent userAgent: String) -> String {
        let first = agentToken(userAgent)
        if first == "mozilla", let range = userAgent.range(of: "compatible;") {
            let rest = agentToken(String(userAgent[range.upperBound...]))
            if !rest.isEmpty { return rest }
        }
        return first
    }

    /// The leading `[A-Za-z_-]` run of a user-agent value, lower-cased; `*` stays `*`.
    static func agentToken(_ value: String) -> String {
        let trimmed = value.trimmingWhitespace()
        if trimmed.hasPrefix("*") { return "*" }
        let token = trimmed.unicodeScalars.prefix { s in
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_" || s == "-"
        }
        return String(String.UnicodeScalarView(token)).lowercased()
    }

    /// Key spellings seen in the wild, mapped to the RFC names.
    private static let keyAliases: [String: String] = [
        "user-agent": "user-agent", "useragent": "user-agent", "user agent": "user-agent",
        "allow": "allow",
        "disallow": "disallow", "dissallow": "disallow", "dissalow": "disallow", "disalow": "disallow",
        "diasllow": "disallow", "disallaw": "disallow",
        "crawl-delay": "crawl-delay", "crawldelay": "crawl-delay", "crawl delay": "crawl-delay",
        "sitemap": "sitemap", "site-map": "sitemap",
    ]

    private static func normalizePattern(_ value: String) -> [UInt8] {
        var bytes = URLParser.normalizePercent(Array(value.utf8)[...], encode: URLParser.isAlwaysEncoded)
        if let first = bytes.first, first != UInt8(ascii: "/"), first != UInt8(ascii: "*") {
            bytes.insert(UInt8(ascii: "/"), at: 0)
        }
        // Only a final $ anchors; elsewhere it is a literal, compared escaped like the path's.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "$") && i != bytes.count - 1 {
                out.append(contentsOf: Array("%24".utf8))
            } else {
                out.append(b)
            }
        }
        return out
    }

    /// Prefix match with `*` (any run of bytes) and a final `$` (end of path).
    static func matches(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*"), dollar = UInt8(ascii: "$")
        let anchored = pattern.last == dollar
        let body = anchored ? pattern.dropLast() : pattern[...]
        if !body.contains(star) {
            if anchored { return body.elementsEqual(path) }
            return path.starts(with: body)
        }
        // Positions in `path` reachable after consuming a prefix of the pattern; `*` opens
        // every later position, so the set stays one sorted run plus literal matches.
        var positions = [0]
        var next: [Int] = []
        for c in body {
            if c == star {
                guard let lowest = positions.first else { return false }
                positions = Array(lowest...path.count)
                continue
            }
            next.removeAll(keepingCapacity: true)
            for p in positions where p < path.count && path[p] == c { next.append(p + 1) }
            if next.isEmpty { return false }
            swap(&positions, &next)
        }
        return anchored ? positions.last == path.count : true
    }
}

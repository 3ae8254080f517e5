/// The identity of an article across its URL variants: the key under which the crawl engine
/// records "seen" and "already an article", so an AMP copy, a `rel=canonical` alias and the
/// plain page collapse onto one entry.
///
/// Fetch the URL you have; deduplicate on its key. AMP markers are recognised in the URL
/// (`/amp/` or a final `/amp` segment, a `.amp` or `.amp.html` suffix, `?amp`, `?amp=1`,
/// `?outputType=amp`, an `amp.` host, Google AMP-cache URLs); a page's own `rel=canonical` wins
/// when it points to the same site and is not just the site's home page (a common
/// misconfiguration). Pure functions; thread-safe.
public enum CanonicalKey {
    /// The key for a URL before it is fetched (frontier deduplication).
    public static func key(for url: CrawlURL) -> CrawlURL {
        // Most URLs carry no AMP marker at all; skip the segment work for them.
        guard mentionsAMP(url.string) else { return url }
        if let cached = fromAMPCache(url) { return key(for: cached) }
        var host = url.host
        var path = url.path
        var query = url.query

        if host.hasPrefix("amp.") && host.split(separator: ".").count > 2 {
            host = "www." + host.dropFirst(4)
        }

        // "/a/amp/" -> ["a", "amp", ""]: the empty last segment keeps a trailing slash.
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map(String.init)
        let before = segments.count
        segments.removeAll { $0 == "amp" }
        var changed = segments.count != before
        if let i = segments.lastIndex(where: { !$0.isEmpty }) {
            let last = segments[i]
            if last.hasSuffix(".amp.html") {
                segments[i] = String(last.dropLast(".amp.html".count)) + ".html"
                changed = true
            } else if last.hasSuffix(".amp") && last.count > 4 {
                segments[i] = String(last.dropLast(4))
                changed = true
            }
        }
        if changed { path = "/" + segments.joined(separator: "/") }

        if let q = query {
            let kept = q.split(separator: "&").filter { param in
                let pair = param.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = pair[0].lowercased()
                let value = pair.count > 1 ? pair[1].lowercased() : ""
                switch name {
                case "amp", "_amp": return !(value.isEmpty || value == "1" || value == "true")
                case "outputtype", "output": return value != "amp"
                default: return true
                }
            }
            query = kept.isEmpty ? nil : kept.joined(separator: "&")
        }

        if host == url.host && path == url.path && query == url.query { return url }
        return url.with(host: host, path: path, query: query)
    }

    private static func mentionsAMP(_ s: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for b in s.utf8 {
            let lower = b | 0x20
            if previous == (UInt8(ascii: "a"), UInt8(ascii: "m")) && lower == UInt8(ascii: "p") { return true }
            previous = (previous.1, lower)
        }
        return false
    }

    /// The key for a fetched page: its `rel=canonical` target when that is trustworthy, else
    /// the key of the URL it was fetched from (the final URL after redirects).
    public static func key(forPage url: CrawlURL, canonical: CrawlURL?) -> CrawlURL {
        guard let canonical, isTrustworthy(canonical: canonical, for: url) else {
            return key(for: url)
        }
        return key(for: canonical)
    }

    /// Keys the engine should mark as seen once a page is fetched, so its AMP twin and the URL
    /// it redirected from are not fetched again: the page key first, then the others.
    public static func aliases(of page: PageLinks, fetchedAs requested: CrawlURL? = nil) -> [CrawlURL] {
        var out = [key(forPage: page.url, canonical: page.canonical)]
        for extra in [Optional(page.url), page.ampHTML, requested] {
            guard let extra else { continue }
            let k = key(for: extra)
            if !out.contains(k) { out.append(k) }
        }
        return out
    }

    static func isTrustworthy(canonical: CrawlURL, for url: CrawlURL) -> Bool {
        if canonical.path == "/" && canonical.query == nil && url.path != "/" { return false }
        return SiteIdentity.brand(canonical.host) == SiteIdentity.brand(url.host)
    }

    /// `https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a` -> the publisher URL.
    private static func fromAMPCache(_ url: CrawlURL) -> CrawlURL? {
        guard url.host.hasSuffix(".cdn.ampproject.org") || url.host == "cdn.ampproject.org" else {
            return nil
        }
        var rest = Substring(url.pathAndQuery)
        for kind in ["/c/", "/v/", "/i/"] where rest.hasPrefix(kind) {
            rest = rest.dropFirst(kind.count)
            let scheme = rest.hasPrefix("s/") ? "https" : "http"
            if rest.hasPrefix("s/") { rest = rest.dropFirst(2) }
            return CrawlURL("\(scheme)://\(rest)")
        }
        return nil
    }
}

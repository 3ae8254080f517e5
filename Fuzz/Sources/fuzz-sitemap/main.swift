import HeraldDiscover

import FuzzDriver

enum Fixture { static let base = CrawlURL("https://fuzz.example/sitemap.xml")! }

/// Sitemaps and sitemap indexes: XML, gzip-compressed XML and plain-text lists.
fuzz { data, size in
    let bytes = bytes(data, size)
    _ = try? SitemapParser.parse(bytes, url: Fixture.base)
    return 0
}

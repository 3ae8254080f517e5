import HeraldDiscover

import FuzzDriver

enum Fixture { static let base = CrawlURL("https://fuzz.example/feeds/world.rss")! }

/// RSS, Atom and RDF feeds (and whatever claims to be one).
fuzz { data, size in
    let bytes = bytes(data, size)
    if let feed = try? FeedParser.parse(bytes, url: Fixture.base) {
        for entry in feed.entries { _ = entry.mayBeNew(since: nil) }
    }
    return 0
}

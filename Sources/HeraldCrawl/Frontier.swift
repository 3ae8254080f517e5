import HeraldDiscover

/// The URLs a run still has to fetch, in discovery order, and every URL it has already taken
/// (the "seen" set that makes a URL fetched at most once per run). Pages are keyed by
/// `CanonicalKey`, so AMP copies and known canonical aliases count as one; feeds and sitemaps by
/// their normalized URL. These two structures are all a run keeps that grows with the site:
/// page bodies and records are never held here. Used by the run's driver task only.
struct Frontier {
    private var queue: [FrontierItem] = []
    private var head = 0
    private var seen: Set<String> = []

    /// URLs queued and not yet taken.
    var count: Int { queue.count - head }
    var isEmpty: Bool { head == queue.count }
    /// Distinct URLs (keys) seen so far.
    var seenCount: Int { seen.count }

    static func key(_ item: FrontierItem) -> String {
        switch item.kind {
        case .page: CanonicalKey.key(for: item.url).string
        case .feed: "feed " + item.url.string
        case .sitemap: "sitemap " + item.url.string
        }
    }

    /// Queues `item` unless its key was seen before; returns whether it was queued.
    @discardableResult
    mutating func offer(_ item: FrontierItem) -> Bool {
        guard seen.insert(Self.key(item)).inserted else { return false }
        queue.append(item)
        return true
    }

    /// Puts items back at the end without the seen check (they were seen when first offered),
    /// e.g. pages that waited for their host's robots.txt.
    mutating func requeue(_ items: [FrontierItem]) {
        queue.append(contentsOf: items)
    }

    /// Marks page keys as seen without queueing them: the aliases of a fetched page.
    mutating func markSeen(pageKeys: [CrawlURL]) {
        for key in pageKeys { seen.insert(key.string) }
    }

    mutating func next() -> FrontierItem? {
        guard head < queue.count else { return nil }
        let item = queue[head]
        head += 1
        if head >= 4096 && head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return item
    }
}

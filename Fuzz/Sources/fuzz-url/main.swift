import HeraldDiscover

import FuzzDriver

enum Fixture { static let base = CrawlURL("https://fuzz.example/news/section/page.html?b=2&a=1")! }

/// URL parsing, resolution against a page, and the canonical key. Normalizing is idempotent,
/// and the request form parses back to the same key: a violation is a crash the fuzzer keeps.
fuzz { data, size in
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    for url in [CrawlURL(text), CrawlURL(text, relativeTo: Fixture.base)].compactMap({ $0 }) {
        guard let again = CrawlURL(url.string), again.string == url.string else {
            fatalError("normalizing is not idempotent: \(url.string.debugDescription)")
        }
        guard CrawlURL(url.requestString) == url else {
            fatalError("request form changes the key: \(url.requestString.debugDescription)")
        }
        _ = CanonicalKey.key(for: url)
        _ = Fixture.base.origin == url.origin
    }
    return 0
}

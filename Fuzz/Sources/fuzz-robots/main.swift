import HeraldDiscover

import FuzzDriver

enum Fixture { static let base = CrawlURL("https://fuzz.example/robots.txt")! }

/// robots.txt: parsing, and matching paths taken from the input itself against its rules.
fuzz { data, size in
    let bytes = bytes(data, size)
    let policy = RobotsPolicy(parsing: bytes, url: Fixture.base, userAgent: "herald/0.1 (+https://example.org)")
    for line in bytes.split(separator: 0x0A).prefix(16) {
        _ = policy.allows(path: "/" + String(decoding: line.prefix(200), as: UTF8.self))
    }
    _ = policy.allows(Fixture.base)
    return 0
}

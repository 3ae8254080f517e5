import Foundation
import HeraldConfig

import FuzzDriver

enum Fixture { static let base = URL(fileURLWithPath: "/nonexistent/herald") }

/// `herald.yaml` and crawl definitions: every broken file must be a clear error, never a crash.
fuzz { data, size in
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    _ = try? HeraldConfiguration.parse(yaml: text, file: "herald.yaml", baseDirectory: Fixture.base)
    _ = try? CrawlDefinition.parse(yaml: text, file: "fuzz.yaml", defaultName: "fuzz")
    return 0
}

/// What an element's class and id say it is, for the metadata pass: boilerplate to skip, a
/// byline, a date, a section/category label or a tag list. Found by one scan over the
/// attribute bytes for a fixed set of fragments (case-insensitive), since it runs for every
/// element that has a class or id.
struct NameHints: OptionSet {
    let rawValue: UInt8
    static let boilerplate = NameHints(rawValue: 1)
    static let byline = NameHints(rawValue: 2)
    static let date = NameHints(rawValue: 4)
    static let section = NameHints(rawValue: 8)
    static let tags = NameHints(rawValue: 16)
    /// "comments-count" and the like: a counter in the article header, not a comment thread.
    static let commentCounter = NameHints(rawValue: 32)

    static func of(_ values: String?...) -> NameHints {
        var hints: NameHints = []
        for value in values {
            guard var v = value else { continue }
            v.withUTF8 { hints.formUnion(scan($0)) }
        }
        if hints.contains(.commentCounter) { hints.remove(.boilerplate) }
        return hints
    }

    private struct Fragment: Sendable {
        let bytes: [UInt8]
        let hints: NameHints
    }

    private static let fragments: [(String, NameHints)] = [
        ("comment", .boilerplate), ("sidebar", .boilerplate), ("related", .boilerplate),
        ("most-read", .boilerplate), ("popular", .boilerplate), ("newsletter", .boilerplate),
        ("comments-count", .commentCounter), ("comment-count", .commentCounter),
        ("byline", [.byline, .date]), ("author", .byline), ("dateline", [.byline, .date]),
        ("writtenby", .byline), ("autor", .byline), ("auteur", .byline), ("signature", .byline),
        ("date", .date), ("time", .date), ("publish", .date), ("posted", .date), ("meta", .date),
        ("datum", .date), ("fecha", .date),
        ("categor", .section), ("kicker", .section), ("rubri", .section), ("section-name", .section),
        ("breadcrumb", .section), ("eyebrow", .section),
        ("tags", .tags), ("tag-list", .tags), ("keywords", .tags), ("topics", .tags),
    ]

    /// Fragments by their first byte.
    private static let table: [[Fragment]] = {
        var t = [[Fragment]](repeating: [], count: 256)
        for (text, hints) in fragments {
            let bytes = Array(text.utf8)
            t[Int(bytes[0])].append(Fragment(bytes: bytes, hints: hints))
        }
        return t
    }()

    private static func scan(_ h: UnsafeBufferPointer<UInt8>) -> NameHints {
        var found: NameHints = []
        let n = h.count
        var i = 0
        while i < n {
            let b = h[i] >= 65 && h[i] <= 90 ? h[i] + 32 : h[i]
            let candidates = table[Int(b)]
            if !candidates.isEmpty {
                for fragment in candidates where !found.contains(fragment.hints) {
                    let m = fragment.bytes.count
                    guard i + m <= n else { continue }
                    var k = 1
                    while k < m {
                        let c = h[i + k] >= 65 && h[i + k] <= 90 ? h[i + k] + 32 : h[i + k]
                        if c != fragment.bytes[k] { break }
                        k += 1
                    }
                    if k == m { found.formUnion(fragment.hints) }
                }
            }
            i += 1
        }
        return found
    }
}

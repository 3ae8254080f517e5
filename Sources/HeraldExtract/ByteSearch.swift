/// Substring search over UTF-8 bytes for the many class, id and text checks of extraction.
///
/// With Foundation imported, `string.contains("nav")` resolves to Foundation's
/// `StringProtocol.contains(_:)`, which bridges both strings to NSString and searches UTF-16:
/// in a crawl profile that was over 40% of all CPU time. This more specific overload wins
/// overload resolution inside HeraldExtract. It compares bytes, so it differs from Foundation
/// only for text that is canonically equivalent but not byte-identical (unnormalized Unicode),
/// which the ASCII class names and keywords searched for never are.
extension String {
    func contains(_ other: String) -> Bool {
        let needle = other.utf8
        guard let first = needle.first else { return true }
        let hay = utf8
        var from = hay.startIndex
        while let i = hay[from...].firstIndex(of: first) {
            if hay[i...].starts(with: needle) { return true }
            from = hay.index(after: i)
        }
        return false
    }
}

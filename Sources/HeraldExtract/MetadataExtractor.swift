import HeraldXML

/// Gathers a page's metadata from structured data, meta tags and the visible page.
struct MetadataExtractor {
    let document: HTMLDocument
    let pageURL: String?

    func extract() -> PageMetadata {
        var meta = PageMetadata()
        // FIXME(extract-meta): JSON-LD, OpenGraph, etc.
        if let title = document.head?.children.first(where: { $0.isElement("title") }) {
            meta.title = title.textContent.trimmingWhitespace()
        }
        return meta
    }
}

/// Parses dates in the forms pages use into ISO 8601.
enum DateParser {
    static func parse(_ raw: String) -> String? {
        // FIXME(extract-meta)
        return nil
    }
}

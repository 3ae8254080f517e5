import Foundation
import HeraldXML

/// Why a page gave no record at all (as opposed to a record with some fields unknown).
public enum ExtractionError: Error, Equatable, CustomStringConvertible {
    case emptyInput
    case notHTML(String)

    public var description: String {
        switch self {
        case .emptyInput: return "empty input"
        case .notHTML(let why): return "not an HTML page: \(why)"
        }
    }
}

/// Turns the bytes of a saved or fetched page into an `ArticleRecord`: charset decoding, libxml2
/// parse, metadata, body text and content hash, from the page alone.
///
/// A value type with no shared state: one extractor may be used from many tasks at once.
public struct ArticleExtractor: Sendable {
    /// Per-site overrides from a crawl definition: XPath expressions evaluated by libxml2.
    public struct Overrides: Sendable, Hashable {
        public var body: String?
        public var published: String?
        public var title: String?
        public var authors: String?
        public init(body: String? = nil, published: String? = nil, title: String? = nil, authors: String? = nil) {
            self.body = body
            self.published = published
            self.title = title
            self.authors = authors
        }

        /// True when no expression is set: the generic extraction decides everything.
        public var isEmpty: Bool { body == nil && published == nil && title == nil && authors == nil }
    }

    public var overrides: Overrides
    /// The time the page was fetched (or is read as of). Relative dates on the page ("3 hours
    /// ago", "vor 2 Tagen", "yesterday") are resolved against it, and dates after it are not
    /// publication dates. Nil leaves relative dates out; absolute dates never depend on it
    /// otherwise.
    public var now: Date?

    public init(overrides: Overrides = Overrides(), now: Date? = nil) {
        self.overrides = overrides
        self.now = now
    }

    /// Extracts a record. `url` is the page's address (for resolving relative links and for a
    /// date in the path); `httpCharset` the charset from the HTTP Content-Type, which wins over
    /// the page's own declaration.
    public func extract(bytes: [UInt8], url: String? = nil, httpCharset: String? = nil) throws -> ArticleRecord {
        extract(document: try Self.parse(bytes: bytes, url: url, httpCharset: httpCharset), url: url)
    }

    /// Decodes (charset from `httpCharset`, BOM or `<meta>`) and parses a page the way `extract`
    /// does, so a caller that also needs the tree (the crawl engine collects links from it)
    /// parses each page once.
    public static func parse(bytes: [UInt8], url: String? = nil, httpCharset: String? = nil) throws -> HTMLDocument {
        let decoded = PageDecoder.closingUnterminatedTitle(try PageDecoder.decode(bytes, httpCharset: httpCharset))
        do {
            return try HTMLDocument(bytes: decoded, encoding: "UTF-8", url: url)
        } catch XMLError.empty {
            throw ExtractionError.emptyInput
        } catch {
            throw ExtractionError.notHTML("\(error)")
        }
    }

    /// Extracts a record from a page parsed by `parse`. This consumes the tree: scripts,
    /// boilerplate and other clutter are removed from it, so read anything else (links) first.
    public func extract(document: HTMLDocument, url: String? = nil) -> ArticleRecord {
        extract(document: document, url: url, explaining: false).record
    }

    /// Extracts a record and tells how its body was chosen (`herald extract --explain`): the
    /// winning strategy, the self-check's findings and every candidate weighed. Slower than
    /// `extract`, since every fallback is computed even when the main answer passes its check.
    public func explain(bytes: [UInt8], url: String? = nil, httpCharset: String? = nil) throws
        -> (record: ArticleRecord, explanation: BodyExplanation?) {
        extract(document: try Self.parse(bytes: bytes, url: url, httpCharset: httpCharset), url: url, explaining: true)
    }

    private func extract(document: HTMLDocument, url: String?, explaining: Bool)
        -> (record: ArticleRecord, explanation: BodyExplanation?) {
        // Metadata first: cleaning the tree for the body removes the <script> elements that
        // carry JSON-LD.
        var metadata = MetadataExtractor(document: document, pageURL: url, now: now).extract()
        applyOverrides(to: &metadata, document: document)
        // A crawl's body XPath is evaluated before cleaning, so it can select anything.
        let bodyExtractor = BodyExtractor(document: document, metadata: metadata)
        var body = overrides.body.flatMap { try? document.evaluate(xpath: $0) }
            .map(bodyExtractor.render) ?? ""
        // nil when the crawl definition's body XPath decided: nothing was weighed.
        var explanation: BodyExplanation? = nil
        var words: Int? = nil
        if body.isEmpty {
            let answer = bodyExtractor.extract(explaining: explaining)
            (body, words, explanation) = (answer.body, answer.words, answer.explanation)
        }

        var record = ArticleRecord()
        record.url = url
        record.canonicalURL = metadata.canonicalURL
        record.title = metadata.title
        record.authors = metadata.authors
        record.published = metadata.published
        record.modified = metadata.modified
        record.section = metadata.section
        record.tags = metadata.tags
        record.language = metadata.language
        record.description = metadata.description
        record.siteName = metadata.siteName
        record.image = metadata.image
        record.body = body
        record.wordCount = words ?? WordCount.of(body)
        record.contentHash = ContentHash.of(body: body)
        return (record, explanation)
    }

    private func applyOverrides(to metadata: inout PageMetadata, document: HTMLDocument) {
        func first(_ xpath: String?) -> String? {
            guard let xpath, let values = try? document.evaluate(xpath: xpath).strings else { return nil }
            return values.first
        }
        if let title = first(overrides.title) { metadata.title = title }
        if let raw = first(overrides.published), let date = DateParser.parse(raw) { metadata.published = date }
        if let xpath = overrides.authors, let names = try? document.evaluate(xpath: xpath).strings, !names.isEmpty {
            metadata.authors = names
        }
    }
}

/// Counts words as runs of letters and digits, the way a reader would.
enum WordCount {
    static func of(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for s in text.unicodeScalars {
            let v = s.value
            let isWordChar = v < 0x80
                ? (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                : s.properties.isAlphabetic || s.properties.numericType != nil
            if isWordChar && !inWord { count += 1 }
            inWord = isWordChar
        }
        return count
    }
}

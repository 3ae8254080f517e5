/// One article as herald delivers it: the JSON record of SPEC "Article record".
///
/// A plain value (Sendable). Unknown strings are nil and unknown lists empty; `encodeJSON` writes
/// every field, nulls included (encoders that sort keys give diffable files).
public struct ArticleRecord: Sendable, Equatable, Codable {
    public var url: String?
    public var canonicalURL: String?
    public var title: String?
    public var authors: [String] = []
    public var published: String?
    public var modified: String?
    public var section: String?
    public var tags: [String] = []
    public var language: String?
    public var description: String?
    public var siteName: String?
    public var image: String?
    public var body: String = ""
    public var wordCount: Int = 0
    public var contentHash: String = ""
    /// Crawl fields: set by the crawl engine, nil from `herald extract`.
    public var crawl: String?
    public var runID: String?
    public var fetchedAt: String?
    public var httpStatus: Int?
    public var finalURL: String?
    /// Dedupe fields: the hash of the version this record supersedes (same canonical URL).
    public var previousHash: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case url, title, authors, published, modified, section, tags, language, description, image, body, crawl
        case canonicalURL = "canonical_url"
        case siteName = "site_name"
        case wordCount = "word_count"
        case contentHash = "content_hash"
        case runID = "run_id"
        case fetchedAt = "fetched_at"
        case httpStatus = "http_status"
        case finalURL = "final_url"
        case previousHash = "previous_hash"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(canonicalURL, forKey: .canonicalURL)
        try c.encode(title, forKey: .title)
        try c.encode(authors, forKey: .authors)
        try c.encode(published, forKey: .published)
        try c.encode(modified, forKey: .modified)
        try c.encode(section, forKey: .section)
        try c.encode(tags, forKey: .tags)
        try c.encode(language, forKey: .language)
        try c.encode(description, forKey: .description)
        try c.encode(siteName, forKey: .siteName)
        try c.encode(image, forKey: .image)
        try c.encode(body, forKey: .body)
        try c.encode(wordCount, forKey: .wordCount)
        try c.encode(contentHash, forKey: .contentHash)
        try c.encode(crawl, forKey: .crawl)
        try c.encode(runID, forKey: .runID)
        try c.encode(fetchedAt, forKey: .fetchedAt)
        try c.encode(httpStatus, forKey: .httpStatus)
        try c.encode(finalURL, forKey: .finalURL)
        try c.encode(previousHash, forKey: .previousHash)
    }
}

/// What the page says about itself, gathered before the body is extracted.
struct PageMetadata: Sendable, Equatable {
    var title: String?
    var authors: [String] = []
    var published: String?
    var modified: String?
    var section: String?
    var tags: [String] = []
    var language: String?
    var description: String?
    var siteName: String?
    var image: String?
    var canonicalURL: String?
    /// A JSON-LD `articleBody`, a candidate (sometimes a truncated teaser) for the body.
    var structuredBody: String?
    /// How many elements the metadata pass met: a size hint for the body's page tree.
    var elementCount = 0
}

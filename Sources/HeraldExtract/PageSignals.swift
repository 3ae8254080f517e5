import HeraldFormats
import HeraldXML

/// Everything metadata can be taken from, gathered in one walk over the page: meta and link
/// tags, JSON-LD blocks, microdata, `<time>` elements, headings and the few visible elements
/// whose class or id marks them as a byline, date, category or tag list.
///
/// Holds `Node`s of the document it was built from: valid only while that document lives and
/// is unmodified (the metadata pass runs before the body extractor cleans the tree).
struct PageSignals {
    /// `<meta>` values by lower-case key (`name`, `property`, `itemprop` and `http-equiv`
    /// values; space-separated properties each count), in document order.
    var meta: [String: [String]] = [:]
    var documentTitle: String?
    var htmlLang: String?
    var baseHref: String?
    var canonicalHref: String?
    var imageSrcHref: String?
    var relAuthorTexts: [String] = []
    var jsonLD: [String] = []
    var headings: [String] = []
    /// Microdata outside `<meta>`: (itemprop value, the element).
    var itemprops: [(prop: String, node: Node)] = []
    /// `<time>` elements: (datetime attribute or nil, visible text, hints from class/itemprop).
    var times: [TimeElement] = []
    /// Elements named like bylines and dates, those after the headline `<h1>` first (what
    /// precedes it is more often navigation, tickers and teasers of other articles).
    var bylineNodes: [Node] { bylinesAfterHeadline + bylinesBeforeHeadline }
    var dateNodes: [Node] { datesAfterHeadline + datesBeforeHeadline }
    private var bylinesBeforeHeadline: [Node] = [], bylinesAfterHeadline: [Node] = []
    private var datesBeforeHeadline: [Node] = [], datesAfterHeadline: [Node] = []
    private var headlineSeen = false
    /// The first `<h1>` that is not the site's logo: the article's headline, most likely.
    var headlineNode: Node?
    /// Elements visited (those inside skipped subtrees not counted).
    var elements = 0
    /// The text of an `<h1>` that only links to the home page: the site's name as its logo
    /// prints it, a hint for cleaning titles when no meta tag names the site.
    var siteLogoText: String?

    /// A `<time>` element: its `datetime` attribute, visible text, and class/itemprop hints.
    struct TimeElement {
        var datetime: String?
        var text: String
        var hints: String
        var pubdate: Bool
        var afterHeadline: Bool
    }
    var sectionNodes: [Node] = []
    var tagNodes: [Node] = []

    /// The first value for any of `keys`, tried in order (the order is the preference).
    func first(_ keys: String...) -> String? {
        for key in keys {
            if let v = meta[key]?.first(where: { !$0.isEmpty }) { return v }
        }
        return nil
    }

    func all(_ key: String) -> [String] { meta[key] ?? [] }

    static let maxHeadings = 4
    static let maxCandidates = 12

    init(document: HTMLDocument) {
        guard let root = document.root else { return }
        if let lang = root.attribute("lang") ?? root.attribute("xml:lang"), !lang.isEmpty { htmlLang = lang }
        root.walk { node in
            guard node.isElement else { return false }
            elements += 1
            return visit(node)
        }
    }

    /// Handles one element; returns whether to descend into it.
    private mutating func visit(_ node: Node) -> Bool {
        let name = node.name
        switch name {
        case "meta":
            collectMeta(node)
            return false
        case "link":
            collectLink(node)
            return false
        case "title":
            if documentTitle == nil { documentTitle = node.textContent.collapsingWhitespace() }
            return false
        case "base":
            if baseHref == nil, let href = node.attribute("href"), !href.isEmpty { baseHref = href }
            return false
        case "script":
            if let type = node.attribute("type")?.lowercased(), type.contains("ld+json") {
                let text = node.textContent
                if !text.isEmpty { jsonLD.append(text) }
            }
            return false
        case "style", "svg", "noscript", "template", "iframe", "select", "button":
            return false
        case "nav":
            // Menus are large and hold no article metadata; a breadcrumb trail is kept whole as
            // a section candidate, and JSON-LD is still taken from inside.
            let hints = NameHints.of(node.attribute("class"), node.attribute("id"), node.attribute("aria-label"))
            if hints.contains(.section), sectionNodes.count < Self.maxCandidates { sectionNodes.append(node) }
            collectStructuredData(below: node)
            return false
        case "h1":
            if headings.count < Self.maxHeadings {
                let text = node.textContent.collapsingWhitespace()
                if !text.isEmpty, !Self.isSiteLogo(node, text: text) {
                    headings.append(text)
                    if headlineNode == nil { headlineNode = node }
                    headlineSeen = true
                } else if !text.isEmpty, siteLogoText == nil, let path = Self.homeLinkPath(node, text: text),
                          path == "/" || path.isEmpty {
                    // Only a link to the site's root names the site; "index.html" may be a section's.
                    siteLogoText = text
                }
            }
        case "time":
            // A <time> in a quoted post (an embedded tweet or Instagram blockquote) dates that post.
            if times.count < Self.maxCandidates, !Self.isQuoted(node) {
                let hints = ((node.attribute("class") ?? "") + " " + (node.attribute("itemprop") ?? "")
                    + " " + (node.parent?.attribute("class") ?? "")).lowercased()
                times.append(TimeElement(datetime: node.attribute("datetime"), text: node.textContent.collapsingWhitespace(),
                                         hints: hints, pubdate: node.hasAttribute("pubdate"), afterHeadline: headlineSeen))
            }
        case "a":
            if let rel = node.attribute("rel"), rel.lowercased().split(separator: " ").contains("author") {
                let text = node.textContent.collapsingWhitespace()
                if !text.isEmpty, relAuthorTexts.count < Self.maxCandidates { relAuthorTexts.append(text) }
            }
        default:
            break
        }
        if let prop = node.attribute("itemprop"), itemprops.count < 64 {
            itemprops.append((prop.lowercased(), node))
        } else if let prop = node.attribute("property")?.lowercased(), prop.contains("date"), itemprops.count < 64 {
            // RDFa on a visible element: <span property="schema:dateCreated" content="...">.
            itemprops.append((String(prop.split(separator: ":").last ?? ""), node))
        }
        return classifyByName(node)
    }

    /// Looks at class and id for bylines, dates, sections and tag lists; returns false for
    /// subtrees that never hold the article's own metadata (comments, sidebars).
    private mutating func classifyByName(_ node: Node) -> Bool {
        let cls = node.attribute("class")
        let id = node.attribute("id")
        if cls == nil && id == nil { return true }
        let hints = NameHints.of(cls, id)
        if hints.isEmpty { return true }
        if hints.contains(.boilerplate) {
            collectStructuredData(below: node)
            return false
        }
        if hints.contains(.byline) {
            if headlineSeen {
                if bylinesAfterHeadline.count < Self.maxCandidates { bylinesAfterHeadline.append(node) }
            } else if bylinesBeforeHeadline.count < Self.maxCandidates {
                bylinesBeforeHeadline.append(node)
            }
        }
        if hints.contains(.date) {
            if headlineSeen {
                if datesAfterHeadline.count < Self.maxCandidates { datesAfterHeadline.append(node) }
            } else if datesBeforeHeadline.count < Self.maxCandidates {
                datesBeforeHeadline.append(node)
            }
        }
        if hints.contains(.section), sectionNodes.count < Self.maxCandidates { sectionNodes.append(node) }
        if hints.contains(.tags), tagNodes.count < 4 { tagNodes.append(node) }
        return true
    }

    /// Inside regions skipped as boilerplate only JSON-LD is taken: sites put their article's
    /// structured data anywhere, but microdata and visible text there belong to other items.
    private mutating func collectStructuredData(below region: Node) {
        var found: [String] = []
        region.walk { node in
            guard node.isElement else { return false }
            if node.isElement("script") {
                if let type = node.attribute("type")?.lowercased(), type.contains("ld+json") {
                    let text = node.textContent
                    if !text.isEmpty { found.append(text) }
                }
                return false
            }
            return true
        }
        jsonLD.append(contentsOf: found)
    }

    static func isQuoted(_ node: Node) -> Bool {
        var ancestor = node.parent
        for _ in 0..<8 {
            guard let a = ancestor else { return false }
            if a.isElement("blockquote") { return true }
            ancestor = a.parent
        }
        return false
    }

    /// An `<h1>` that is just a link to the site's home page is the site's logo or name, not
    /// the article's headline.
    static func isSiteLogo(_ heading: Node, text: String) -> Bool {
        guard let path = homeLinkPath(heading, text: text) else { return false }
        return ["", "/", "./", "index.html", "/index.html", "index.php", "/index.php", "/blog", "/blog/"].contains(path)
    }

    /// The path of the link that is all of a heading's text, if it is one.
    static func homeLinkPath(_ heading: Node, text: String) -> String? {
        guard let link = heading.descendantElements(where: { $0.isElement("a") }).first,
              let href = link.attribute("href")?.trimmingWhitespace() else { return nil }
        guard link.textContent.collapsingWhitespace() == text else { return nil }
        var path = href
        if let schemeEnd = href.range(of: "://") {
            let afterHost = href[schemeEnd.upperBound...]
            path = afterHost.firstIndex(of: "/").map { String(afterHost[$0...]) } ?? "/"
        }
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<q]) }
        return path
    }

    private mutating func collectMeta(_ node: Node) {
        guard let content = node.attribute("content") ?? node.attribute("value") else {
            if let charset = node.attribute("charset") { meta["charset", default: []].append(charset) }
            return
        }
        // Entities escaped twice ("&amp;#8217;") reach us as "&#8217;" after libxml2's decoding.
        let value = (content.utf8.contains(UInt8(ascii: "&")) ? HTMLEntities.decode(content) : content).collapsingWhitespace()
        for attr in ["property", "name", "itemprop", "http-equiv"] {
            guard let keys = node.attribute(attr) else { continue }
            for key in keys.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                meta[String(key), default: []].append(value)
            }
        }
    }

    private mutating func collectLink(_ node: Node) {
        guard let rel = node.attribute("rel")?.lowercased(), let href = node.attribute("href"), !href.isEmpty else { return }
        let rels = rel.split(separator: " ")
        if rels.contains("canonical"), canonicalHref == nil { canonicalHref = href.trimmingWhitespace() }
        if rels.contains("image_src"), imageSrcHref == nil { imageSrcHref = href.trimmingWhitespace() }
    }
}

import Foundation
import HeraldFormats
import HeraldXML

/// The extensive date search, for pages whose metadata gives no publication date: every date
/// printed in the visible page, each placed relative to the headline and labelled by the words
/// before it, then one chosen by a fixed order of evidence (`choose`).
///
/// What is read: the text of the body in blocks (paragraphs, list items, table cells, divs),
/// without scripts, navigation, asides, figure captions and regions whose class or id marks
/// them as comments, sidebars or related-article lists (their dates belong to other posts).
/// Footers are read but their dates count only as a last resort, like copyright and "updated"
/// dates.
struct DateSearch {
    /// A date printed on the page.
    struct Candidate {
        var date: ParsedDate
        var label: DateParser.DateLabel
        /// Characters from the start of the headline to the start of the date's block:
        /// negative before the headline. From the start of the body when there is no headline.
        var distance: Int
        /// Length of the block the date stands in: a date line or byline is short, a date in
        /// a paragraph of prose is a mention.
        var blockLength: Int
        /// In a footer, aside, caption or region named like a sidebar: weak evidence.
        var isWeak: Bool
    }

    let candidates: [Candidate]

    /// Blocks longer than this are prose: dates in them are mentions.
    static let shortBlock = 160
    /// The byline zone: how far after the headline a bare date still dates the article.
    static let afterHeadline = 3000
    /// How far before the headline (kickers, datelines above the title) a bare date counts.
    static let beforeHeadline = 400

    /// `zoneOnly` stops reading past the byline zone: enough for checking the metadata's date
    /// against the date lines by the headline, at a fraction of the cost on long pages.
    init(document: HTMLDocument, monthFirst: Bool, now: Date?, title: String? = nil, zoneOnly: Bool = false) {
        guard let body = document.body else { candidates = []; return }
        var reader = BlockReader()
        reader.foldedTitle = title.map(TitleCleaner.fold) ?? ""
        reader.keepWords = now != nil
        reader.stopAfter = zoneOnly ? Self.afterHeadline : nil
        reader.read(body, depth: 0)
        reader.flush()
        let headlineStart = reader.headlineStart ?? reader.titleHeadingStart ?? 0
        let nowDay = now.map { Int($0.timeIntervalSince1970 / 86400) }
        var found: [Candidate] = []
        var previousShort: BlockReader.Block? = nil
        var previousEnd = -1
        for block in reader.blocks {
            // Only the block right before counts for a label.
            if block.start != previousEnd { previousShort = nil }
            defer {
                previousShort = block.length < 30 && !block.hasDigit ? block : nil
                previousEnd = block.start + block.length + 1
            }
            // Texts are built only for blocks that may hold a date, and for the label before one.
            var own: String? = nil
            var relative: ParsedDate? = nil
            if let now, block.length < 120 {
                let text = reader.text(of: block)
                own = text
                relative = DateParser.relative(in: text, now: now, standalone: text.utf8.count < 40)
            }
            guard block.hasDigit || relative != nil else { continue }
            let blockText = own ?? reader.text(of: block)
            // A label in a block of its own ("Datum:" in a <dt>) belongs to the date after it.
            let text = previousShort.map { reader.text(of: $0) + " " + blockText } ?? blockText
            var dates = DateParser.all(in: text, monthFirst: monthFirst)
            if dates.isEmpty, let relative {
                dates = [DateParser.LabelledDate(date: relative, label: .none, isRange: false)]
            }
            for d in dates where !d.isRange && d.label != .notPublication {
                // Dates after the reference time are not publication dates (the parser already
                // rejects those after the real clock's tomorrow).
                if let nowDay, CivilCalendar.days(year: d.date.year, month: d.date.month, day: d.date.day) > nowDay + 1 {
                    continue
                }
                // A date leading a long block ("(18.01.2018) Deutschlands Landwirte ...") is
                // a dateline, not a mention in the prose.
                let length = d.isLeading ? min(blockText.utf8.count, Self.shortBlock) : blockText.utf8.count
                found.append(Candidate(date: d.date, label: d.label, distance: block.start - headlineStart,
                                       blockLength: length, isWeak: block.isWeak))
            }
        }
        candidates = found
    }

    /// The publication date, by this order of evidence (a "short block" is a date line or
    /// byline, not a paragraph of prose; the "zone" runs from a little before the headline to
    /// a few thousand characters after it):
    /// 1. a date in a short block labelled as the publication ("Published", "Datum:",
    ///    "Erschienen am"), the one nearest the headline;
    /// 2. a bare date in a short block in the zone: the one with the URL path's day if one
    ///    has it (two sources agreeing), else the one nearest the headline;
    /// 3. the date in the URL path;
    /// 4. an "updated" or copyright date in the zone, the nearest;
    /// 5. any other bare date outside the footer, short blocks first, the first after the
    ///    headline, else the last before it;
    /// 6. whatever is left (labelled dates in prose, footer dates), the nearest.
    /// Ranges, the current time, registration and validity dates and dates after `now` never
    /// count.
    func choose(urlDate: ParsedDate?) -> ParsedDate? {
        if let printed = printedByline(urlDate: urlDate) { return printed }
        if let urlDate { return urlDate }
        return fallback()
    }

    /// Steps 1 and 2 of `choose` alone: a date printed as the article's own (labelled
    /// publication line, or a date line by the headline), if any.
    func printedByline(urlDate: ParsedDate?) -> ParsedDate? {
        // A labelled publication line counts even in the article's footer ("Erschienen am").
        if let c = nearest(candidates.filter { $0.label == .published && $0.blockLength <= Self.shortBlock }) {
            return c.date
        }
        let zone = candidates.filter { $0.blockLength <= Self.shortBlock && !$0.isWeak && $0.label == .none && inZone($0) }
        // Two sources agreeing beat the nearest: the URL's day printed in the byline zone.
        if let urlDate, let c = zone.first(where: { $0.date.sameDay(as: urlDate) }) { return c.date }
        return nearest(zone)?.date
    }

    private func nearest(_ list: [Candidate]) -> Candidate? {
        list.min { abs($0.distance) < abs($1.distance) }
    }

    private func inZone(_ c: Candidate) -> Bool {
        c.distance >= -Self.beforeHeadline && c.distance <= Self.afterHeadline
    }

    private func fallback() -> ParsedDate? {
        let shortOnes = candidates.filter { $0.blockLength <= Self.shortBlock && !$0.isWeak }
        if let c = nearest(shortOnes.filter { ($0.label == .updated || $0.label == .copyright) && inZone($0) }) {
            return c.date
        }
        let bare = candidates.filter { $0.label == .none && !$0.isWeak }
        let bareShort = bare.filter { $0.blockLength <= Self.shortBlock }
        if let c = bareShort.first(where: { $0.distance >= 0 }) ?? bareShort.last ?? bare.first(where: { $0.distance >= 0 }) ?? bare.last {
            return c.date
        }
        return nearest(candidates.filter { $0.label != .none || $0.isWeak })?.date
    }
}

/// Cuts the body into the text blocks a reader sees, noting where the headline starts.
private struct BlockReader {
    struct Block {
        /// Its text nodes (and separating spaces) in `parts`.
        var parts: Range<Int>
        /// Its length in bytes with whitespace runs collapsed.
        var length: Int
        var start: Int
        var isWeak: Bool
        /// Holds a year (19xx, 20xx): may hold an absolute date.
        var hasDigit: Bool
    }

    /// The text of a block, whitespace collapsed.
    func text(of block: Block) -> String {
        var raw = ""
        for part in parts[block.parts] { raw += part?.text ?? " " }
        return raw.collapsingWhitespace()
    }

    var blocks: [Block] = []
    /// Where the first `<h1>` that is not the site's logo starts. The reader finds it itself:
    /// the metadata pass skips regions named like sidebars, and some pages put their header
    /// in one.
    var headlineStart: Int?
    /// The text nodes of the blocks kept and of the current one, and nil for the space that
    /// separates inline elements: a block's text is only built when it may hold a date.
    private var parts: [Node?] = []
    private var blockStart = 0
    /// The current block's length with whitespace runs collapsed, and what that needs.
    private var length = 0
    private var started = false
    private var pendingSpace = false
    /// The current block holds a year (19xx, 20xx): every absolute date form carries one.
    private var hasYear = false
    private var offset = 0
    /// Inside footers, asides, captions and regions named like sidebars.
    private var weakDepth = 0

    enum Kind { case skipped, block, inline }
    /// Each element name's kind (names not listed are inline), looked up once per element.
    static let kinds: [String: Kind] = {
        var map: [String: Kind] = [:]
        for name in ["script", "style", "noscript", "template", "svg", "iframe", "select", "option", "button",
                     "nav", "head", "textarea"] {
            map[name] = .skipped
        }
        for name in ["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "section", "header",
                     "footer", "article", "main", "tr", "td", "th", "dd", "dt", "dl", "table", "blockquote",
                     "figure", "figcaption", "aside", "pre", "address"] {
            map[name] = .block
        }
        return map
    }()

    /// Whether digitless blocks may hold a date ("yesterday", "vor einer Woche"): only when
    /// relative dates are read.
    var keepWords = false
    /// The page's title, folded: without an `<h1>`, the `<h2>`/`<h3>` that is part of it is
    /// the headline.
    var foldedTitle = ""
    var titleHeadingStart: Int?
    /// Stop this many characters after the headline, when set.
    var stopAfter: Int?
    private var done = false

    private mutating func appendText(_ node: Node) {
        let layout = node.textLayout
        parts.append(node)
        if layout.visibleBytes == 0 {
            if started && layout.startsWithSpace { pendingSpace = true }
            return
        }
        if started && (pendingSpace || layout.startsWithSpace) { length += 1 }
        length += layout.visibleBytes + layout.innerSpaces
        pendingSpace = layout.endsWithSpace
        started = true
        if layout.hasYear { hasYear = true }
    }

    private mutating func appendSpace() {
        parts.append(nil)
        if started { pendingSpace = true }
    }

    /// Ends the current block. Most blocks hold no date: they only advance the offset (by
    /// their length with whitespace collapsed, measured without building the text).
    mutating func flush() {
        defer {
            blockStart = parts.count
            length = 0
            started = false
            pendingSpace = false
            hasYear = false
        }
        // Blocks without a year (prices, counts, times) are not parsed; short digitless ones
        // stay for the label they may give the next one ("Datum:").
        if length > 0 && (hasYear || length < 30 || (keepWords && length < 120)) {
            blocks.append(Block(parts: blockStart..<parts.count, length: length, start: offset,
                                isWeak: weakDepth > 0, hasDigit: hasYear))
        } else {
            parts.removeSubrange(blockStart...)
        }
        if length > 0 { offset += length + 1 }
    }

    /// Whether an `<h1>` is inside `node` (stops at the first).
    static func holdsHeadline(_ node: Node, depth: Int) -> Bool {
        guard depth < 60 else { return false }
        for child in node.children where child.isElement {
            if child.isElement("h1") || holdsHeadline(child, depth: depth + 1) { return true }
        }
        return false
    }

    mutating func read(_ node: Node, depth: Int) {
        guard depth < 120 else { return }
        for child in node.children {
            if done { return }
            if let limit = stopAfter, let start = headlineStart, offset > start + limit {
                done = true
                return
            }
            if child.isText {
                appendText(child)
                continue
            }
            guard child.isElement else { continue }
            let name = child.name
            let kind = Self.kinds[name] ?? .inline
            if kind == .skipped { continue }
            let attributes = child.hasAttributes ? child.attributeValues(["class", "id"]) : [nil, nil]
            let cls = attributes[0], id = attributes[1]
            var isWeak = name == "footer" || name == "aside" || name == "figcaption"
            if cls != nil || id != nil {
                let hints = NameHints.of(cls, id)
                if hints.contains(.boilerplate), !hints.contains(.date) {
                    // Comment threads are left out ("wpcom-comments-date" is a date line, not
                    // a thread). Sidebars, teaser lists and the like are only weak evidence:
                    // pages name layout columns "sidebar" and put the article's date there.
                    let names = ((cls ?? "") + " " + (id ?? "")).lowercased()
                    if names.contains("comment") { continue }
                    // One holding the headline is the article's header column.
                    isWeak = !Self.holdsHeadline(child, depth: 0)
                }
                if !isWeak {
                    let names = ((cls ?? "") + " " + (id ?? "")).lowercased()
                    isWeak = names.contains("footer")
                }
            }
            let isBlock = kind == .block
            if isBlock { flush() }
            if headlineStart == nil, name == "h1" {
                let text = child.textContent.collapsingWhitespace()
                if !text.isEmpty, !PageSignals.isSiteLogo(child, text: text) { flush(); headlineStart = offset }
            } else if headlineStart == nil, titleHeadingStart == nil, name == "h2" || name == "h3", !foldedTitle.isEmpty {
                let folded = TitleCleaner.fold(child.textContent)
                if folded.count >= 10, foldedTitle.contains(folded) { flush(); titleHeadingStart = offset }
            }
            if isWeak { flush(); weakDepth += 1 }
            // Styled dates glue their parts: <span>18</span><span>2009</span>.
            if !isBlock { appendSpace() }
            read(child, depth: depth + 1)
            if !isBlock { appendSpace() }
            if isWeak { flush(); weakDepth -= 1 }
            if isBlock { flush() }
        }
    }
}

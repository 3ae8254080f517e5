import Foundation
import HeraldXML

/// Gathers a page's metadata from every source it may carry, best first: JSON-LD, OpenGraph /
/// `article:*` / Twitter / Dublin Core / other meta tags, microdata, `<time>`, `rel=author`,
/// `<html lang>`, `<link rel=canonical>`; then the visible page (byline, date text, category)
/// and the URL.
///
/// One walk over the tree collects the candidates (`PageSignals`); the rest works on those.
/// Must run before the body extractor modifies the tree.
struct MetadataExtractor {
    let document: HTMLDocument
    let pageURL: String?
    /// The reference time for relative dates ("3 hours ago") and the limit for future ones;
    /// nil leaves relative dates out.
    var now: Date? = nil

    func extract() -> PageMetadata {
        let signals = PageSignals(document: document)
        let ld = StructuredData(blocks: signals.jsonLD)
        let neighbourhood = Lazy { HeadlineNeighbourhood(headline: signals.headlineNode) }
        var meta = PageMetadata()

        let base = baseURL(signals)
        let canonicalRaw = signals.canonicalHref ?? signals.first("og:url")
        meta.canonicalURL = canonicalRaw.flatMap { resolve($0, against: base) }
        meta.language = language(signals, ld)
        meta.siteName = siteName(signals, ld)
        let host = URL(string: pageURL ?? meta.canonicalURL ?? "")?.host
        meta.authors = authors(signals, ld, neighbourhood)
        meta.title = title(signals, ld, siteName: meta.siteName ?? signals.siteLogoText, host: host, authors: meta.authors)
        if meta.language == nil {
            meta.language = LanguageTag.guess(fromText: (meta.title ?? "") + " " + (signals.first("description", "og:description") ?? ""))
        }
        if meta.siteName == nil, let title = meta.title {
            meta.siteName = siteNameFromTitle(signals.documentTitle, articleTitle: title)
        }
        // Slash dates on English pages without a region are American far more often than not.
        let monthFirst = meta.language == "en-US" || meta.language == "en"
        meta.modified = modified(signals, ld, neighbourhood, monthFirst: monthFirst)
        meta.published = published(signals, ld, monthFirst: monthFirst, canonical: meta.canonicalURL,
                                   modified: meta.modified, title: meta.title)
        meta.section = section(signals, ld, title: meta.title)
        meta.tags = tags(signals, ld)
        meta.description = signals.first("og:description", "description", "twitter:description")
            ?? ld.description ?? signals.first("dc.description", "dcterms.description", "dc:description")
        let imageRaw = signals.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                                     "twitter:image:src") ?? ld.image ?? signals.imageSrcHref
            ?? signals.first("image", "thumbnailurl")
        meta.image = imageRaw.flatMap { resolve($0, against: base) }
        meta.structuredBody = ld.articleBody
        meta.elementCount = signals.elements
        return meta
    }

    // MARK: URLs

    /// The URL relative links resolve against: `<base href>` (itself resolved against the page
    /// URL), else the page URL, else the canonical URL the page declares.
    private func baseURL(_ s: PageSignals) -> URL? {
        let page = pageURL.flatMap { URL(string: $0) }.flatMap { $0.scheme == nil ? nil : $0 }
        if let href = s.baseHref, let resolved = URL(string: href.trimmingWhitespace(), relativeTo: page)?.absoluteURL,
           resolved.scheme != nil {
            return resolved
        }
        if let page { return page }
        for candidate in [s.canonicalHref, s.first("og:url")] {
            if let c = candidate, let url = URL(string: c), url.scheme != nil, url.host != nil { return url }
        }
        return nil
    }

    private func resolve(_ href: String, against base: URL?) -> String? {
        let trimmed = href.trimmingWhitespace()
        guard !trimmed.isEmpty, !trimmed.lowercased().hasPrefix("javascript:"), !trimmed.hasPrefix("data:") else { return nil }
        var escaped = trimmed.replacingAll(" ", with: "%20", caseInsensitive: false)
        // Protocol-relative with nothing to take the scheme from: the web is https now.
        if base == nil, escaped.hasPrefix("//") { escaped = "https:" + escaped }
        guard let url = URL(string: escaped, relativeTo: base) else { return nil }
        let absolute = url.absoluteURL
        // The record promises absolute URLs: a relative one with no base is unknown.
        guard absolute.scheme != nil, absolute.host != nil else { return nil }
        return absolute.absoluteString
    }

    // MARK: fields

    private func language(_ s: PageSignals, _ ld: StructuredData) -> String? {
        for candidate in [s.htmlLang, s.first("content-language"), ld.language, s.first("og:locale"),
                          s.first("language", "dc.language", "dcterms.language", "inlanguage")] {
            if let tag = LanguageTag.normalize(candidate) { return tag }
        }
        return nil
    }

    private func siteName(_ s: PageSignals, _ ld: StructuredData) -> String? {
        // A URL or @handle is not a name.
        func name(_ v: String?) -> String? {
            guard let v, !v.contains("://"), !v.hasPrefix("@"), !v.hasPrefix("www.") else { return nil }
            return v
        }
        if ld.hasArticle, let n = name(ld.publisher) { return n }
        if let n = name(s.first("og:site_name", "og:sitename")) { return n }
        if let n = name(ld.websiteName) { return n }
        if let n = name(s.first("application-name", "apple-mobile-web-app-title", "dc.publisher", "dcterms.publisher",
                                "publisher", "al:ios:app_name", "al:android:app_name")) {
            return n
        }
        if let handle = s.first("twitter:site"), !handle.hasPrefix("@"), !handle.contains("/") { return handle }
        return nil
    }

    /// "Headline | Site" in `<title>` when the headline is known: the site is the rest.
    private func siteNameFromTitle(_ documentTitle: String?, articleTitle: String) -> String? {
        guard let t = documentTitle?.collapsingWhitespace() else { return nil }
        for sep in [" | ", " - ", " – ", " — ", " · ", " :: ", " » "] {
            guard let rest = t.strippingPrefix(articleTitle), rest.hasPrefix(sep) else { continue }
            let name = String(rest.dropFirst(sep.count)).collapsingWhitespace()
            if !name.isEmpty, name.split(separator: " ").count <= 5, !name.contains(sep) { return name }
        }
        return nil
    }

    /// The headline: the one the publisher declares when it is a wording of the page's own
    /// title (`declaredHeadline`); else the candidate (JSON-LD, meta tags, microdata, `<title>`,
    /// `<h1>`) that the most other sources agree with (equal, or equal up to separator-delimited
    /// segments), ties going to the more structured source; then cleaned of site, section and
    /// author segments.
    private func title(_ s: PageSignals, _ ld: StructuredData, siteName: String?, host: String?,
                       authors: [String]) -> String? {
        var sources: [String] = []
        var documentTitleIndex = -1
        func add(_ value: String?) {
            if let v = value?.collapsingWhitespace(), !v.isEmpty { sources.append(v) }
        }
        // A WebPage's name is often the site's; only an article item's headline is declared.
        add(ld.hasArticle ? ld.headline : nil)
        add(s.first("dc.title", "dcterms.title", "dc:title", "dcterm:title"))
        add(s.first("og:title"))
        let declaredCount = sources.count
        add(ld.hasArticle ? nil : ld.headline)
        add(s.first("twitter:title", "parsely-title", "sailthru.title", "headline"))
        add(itemprop(s, "headline"))
        let ownTitlesStart = sources.count
        if let t = s.documentTitle?.collapsingWhitespace(), !t.isEmpty {
            documentTitleIndex = sources.count
            sources.append(t)
        }
        for h in s.headings { add(h) }
        guard !sources.isEmpty else { return nil }
        // Fold and lower-case each source once: the vote compares every pair.
        let folded = sources.map(TitleCleaner.fold)
        let lowered = sources.map { $0.lowercased() }
        func agree(_ i: Int, _ j: Int) -> Bool {
            folded[i] == folded[j] || TitleCleaner.isSegment(lowered[i], of: lowered[j])
                || TitleCleaner.isSegment(lowered[j], of: lowered[i])
        }
        var best = -1, bestVotes = -1
        if let declared = declaredHeadline(sources, declaredCount: declaredCount, ownTitlesStart: ownTitlesStart,
                                           siteName: siteName, host: host) {
            best = declared
            bestVotes = Int.max
        }
        for i in sources.indices where bestVotes < Int.max {
            guard sources[i].count >= 4, sources.count == 1
                    || !TitleCleaner.namesSite(sources[i], siteName: siteName, host: host) else { continue }
            var votes = 0
            for j in sources.indices where j != i && agree(i, j) { votes += 1 }
            if votes > bestVotes { best = i; bestVotes = votes }
        }
        if best < 0 { best = 0 }
        let cleaned = TitleCleaner.clean(sources[best], siteName: siteName, host: host, headings: s.headings,
                                         authors: authors, fromDocumentTitle: best == documentTitleIndex)
        return cleaned.isEmpty ? nil : cleaned
    }

    /// The index of the headline the publisher declares (JSON-LD article headline, then Dublin
    /// Core, then og:title: the order Readability trusts them in), provided it is a wording of
    /// the page's own title: at least half of its words occur in `<title>` or in a heading.
    /// A declared title that shares little with them is a social-media teaser ("If You Can
    /// Picture A Tarot Card...") and goes to the vote instead.
    private func declaredHeadline(_ sources: [String], declaredCount: Int, ownTitlesStart: Int,
                                  siteName: String?, host: String?) -> Int? {
        let referenceWords = Set(sources[ownTitlesStart...].flatMap(TitleCleaner.words))
        for i in 0..<declaredCount {
            let candidate = sources[i]
            guard candidate.count >= 4, !TitleCleaner.namesSite(candidate, siteName: siteName, host: host),
                  !candidate.hasSuffix("…"), !candidate.hasSuffix("...") else { continue }
            let words = TitleCleaner.words(candidate)
            guard !words.isEmpty else { continue }
            if referenceWords.isEmpty { return i }
            let shared = words.filter(referenceWords.contains).count
            if shared * 2 >= words.count { return i }
        }
        return nil
    }

    private func authors(_ s: PageSignals, _ ld: StructuredData, _ around: Lazy<HeadlineNeighbourhood>) -> [String] {
        var names = ld.authors.flatMap(AuthorNames.split)
        if names.isEmpty {
            for key in ["dc:creator", "dc.creator", "dcterm:creator", "dcterms.creator", "author", "article:author",
                        "parsely-author", "sailthru.author", "byl", "citation_author", "og:article:author", "creator"] {
                let values = s.all(key).filter { !$0.lowercased().hasPrefix("http") && !$0.hasPrefix("@") }
                names = values.flatMap(AuthorNames.split)
                if !names.isEmpty { break }
            }
        }
        if names.isEmpty {
            for (prop, node) in s.itemprops where prop.contains("author") || prop.contains("creator") {
                let nameNode = node.descendantElements { $0.attribute("itemprop")?.lowercased() == "name" }.first
                let text = (nameNode?.attribute("content") ?? nameNode?.textContent ?? node.attribute("content")
                    ?? node.textContent).collapsingWhitespace()
                guard text.count < 100 else { continue }
                names = AuthorNames.split(text)
                if !names.isEmpty { break }
            }
        }
        if names.isEmpty {
            names = s.relAuthorTexts.filter { $0.count < 100 }.flatMap(AuthorNames.split)
        }
        if names.isEmpty {
            for node in s.bylineNodes {
                let text = BlockText.of(node, limit: 400)
                let collapsed = text.collapsingWhitespace()
                guard !collapsed.isEmpty, collapsed.count < 100 else { continue }
                names = AuthorNames.split(text)
                if !names.isEmpty { break }
            }
        }
        if names.isEmpty { names = around.value.authors() }
        var unique: [String] = []
        for n in names where !unique.contains(where: { $0.caseInsensitiveEquals(n) }) { unique.append(n) }
        return unique
    }

    private func itemprop(_ s: PageSignals, _ name: String) -> String? {
        if let v = s.first(name.lowercased()) { return v }
        for (prop, node) in s.itemprops where prop == name.lowercased() {
            let v = (node.attribute("content") ?? node.attribute("datetime") ?? node.textContent).collapsingWhitespace()
            if !v.isEmpty { return v }
        }
        return nil
    }

    /// The publication date: the metadata's (JSON-LD, meta tags, microdata and RDFa, `<time>`),
    /// checked against the date lines the page prints (`DateCrossCheck`); when the metadata has
    /// none, the extensive search of the visible page (`DateSearch`).
    private func published(_ s: PageSignals, _ ld: StructuredData, monthFirst: Bool, canonical: String?,
                           modified: String?, title: String?) -> String? {
        // Every publication date the metadata gives, most trusted first.
        var found: [ParsedDate] = []
        @discardableResult
        func add(_ raw: String?) -> Bool {
            guard let d = raw.flatMap({ DateParser.find(in: $0, skipUpdated: false, monthFirst: monthFirst) }) else {
                return false
            }
            if let now, d.isAfter(now) { return false }
            found.append(d)
            return true
        }
        add(ld.datePublished ?? StructuredData.rawValue(of: "datePublished", in: s.jsonLD))
        var primaryIsGeneric = false
        for key in MetadataExtractor.publishedKeys {
            if add(s.first(key)), found.count == 1 { primaryIsGeneric = MetadataExtractor.genericDateKeys.contains(key) }
        }
        for (prop, node) in s.itemprops where prop == "datepublished" || prop == "datecreated" {
            add(node.attribute("content") ?? node.attribute("datetime") ?? node.textContent)
        }
        // <time pubdate>, then a <time> marked as published, then any not marked as an update.
        let times = s.times.filter { !isUpdateHint($0.hints) && $0.afterHeadline }
            + s.times.filter { !isUpdateHint($0.hints) && !$0.afterHeadline }
        for t in times where t.pubdate || t.hints.contains("publish") {
            if !add(t.datetime) { add(t.text) }
        }
        for t in times where !(t.pubdate || t.hints.contains("publish")) {
            if !add(t.datetime) { add(t.text) }
        }
        let urlDate = [pageURL, canonical].lazy.compactMap { $0.flatMap(DateParser.fromURLPathDate) }.first
        guard let primary = found.first else {
            // The metadata has no date: search the visible page.
            let search = DateSearch(document: document, monthFirst: monthFirst, now: now, title: title)
            return search.choose(urlDate: urlDate)?.iso
        }
        let modifiedDate = modified.flatMap { DateParser.find(in: $0, skipUpdated: false, monthFirst: false) }
        return DateCrossCheck(metadata: found, modified: modifiedDate, urlDate: urlDate, primaryIsGeneric: primaryIsGeneric)
            .resolve { DateSearch(document: document, monthFirst: monthFirst, now: now, title: title, zoneOnly: true) }
            ?? primary.iso
    }

    private func modified(_ s: PageSignals, _ ld: StructuredData, _ around: Lazy<HeadlineNeighbourhood>,
                          monthFirst: Bool) -> String? {
        func parse(_ raw: String?) -> String? {
            raw.flatMap { DateParser.find(in: $0, skipUpdated: false, monthFirst: monthFirst)?.iso }
        }
        if let d = parse(ld.dateModified) { return d }
        for key in ["article:modified_time", "og:updated_time", "article:modified", "datemodified", "modified_time",
                    "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "sailthru.lastmodified"] {
            if let d = parse(s.first(key)) { return d }
        }
        for (prop, node) in s.itemprops where prop == "datemodified" {
            if let d = parse(node.attribute("content") ?? node.attribute("datetime") ?? node.textContent) { return d }
        }
        for t in s.times where isUpdateHint(t.hints) {
            if let d = parse(t.datetime) ?? parse(t.text) { return d }
        }
        // "Updated ..." printed near the headline or in a date element.
        for text in around.value.texts {
            if let d = DateParser.findUpdate(in: text, monthFirst: monthFirst) { return d.iso }
        }
        for node in s.dateNodes {
            let text = BlockText.of(node, limit: 700)
            guard text.utf8.count < 600 else { continue }
            if let d = DateParser.findUpdate(in: text, monthFirst: monthFirst) { return d.iso }
        }
        return nil
    }

    private func isUpdateHint(_ hints: String) -> Bool {
        hints.contains("updat") || hints.contains("modif") || hints.contains("aktualisiert")
    }

    static let publishedKeys = [
        "article:published_time", "og:article:published_time", "article:published", "og:published_time",
        "published_time", "datepublished", "article.published", "parsely-pub-date", "sailthru.date",
        "pubdate", "publishdate", "publish-date", "publish_date", "date_published", "article_date_original",
        "original-publish-date", "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
        "dc.date", "dc:date", "dcterms.date", "citation_publication_date", "citation_date", "date",
        "rnews:datepublished", "cxenseparse:recs:publishtime", "displaydate", "article:post_date",
        "og:pubdate", "pdate", "ptime", "release_date",
    ]

    /// Keys that say "a date" without saying which: often the last edit or the day the page
    /// was generated.
    static let genericDateKeys: Set<String> = ["date", "dc.date", "dc:date", "dcterms.date"]

    private func section(_ s: PageSignals, _ ld: StructuredData, title: String?) -> String? {
        // A section name, not a handle, URL or domain; "A,B,C" lists give their first entry.
        func plausible(_ raw: String?) -> String? {
            guard let raw else { return nil }
            let v = raw.split(separator: ",").first.map { String($0).collapsingWhitespace() } ?? ""
            guard !v.isEmpty, v.count <= 60, !v.hasPrefix("@"), !v.contains("://"), !v.hasPrefix("www."),
                  !(v.contains(".") && !v.contains(" ") && v.count > 4 && v.last?.isLetter == true && v.first?.isLetter == true && v.lowercased() == v)
            else { return nil }
            return v
        }
        if let v = plausible(ld.section) ?? plausible(s.first("article:section", "og:article:section", "section",
                "parsely-section", "sailthru.section", "article.section", "category", "dc.subject")) {
            return v
        }
        let home: Set<String> = ["home", "start", "accueil", "inicio", "startseite", "homepage", "news"]
        if ld.breadcrumb.count >= 2, let crumb = ld.breadcrumb.last(where: {
            $0 != title && !s.headings.contains($0) && $0.count <= 40 && !home.contains($0.lowercased()) && plausible($0) != nil
        }) {
            return crumb
        }
        for node in s.sectionNodes {
            let isBreadcrumb = node.isElement("nav") || (node.attribute("class") ?? "").lowercased().contains("breadcrumb")
                || (node.attribute("id") ?? "").lowercased().contains("breadcrumb")
            if isBreadcrumb {
                // A trail is short; a big container merely named "...breadcrumb..." is not one.
                guard BlockText.of(node, limit: 600).utf8.count < 500 else { continue }
                let links = node.descendantElements { $0.isElement("a") }
                    .map { $0.textContent.collapsingWhitespace() }
                    .filter { $0.count <= 40 && !home.contains($0.lowercased()) && $0 != title && plausible($0) != nil }
                if let last = links.last { return last }
                continue
            }
            let text = node.textContent.collapsingWhitespace()
            if !text.isEmpty, text.count <= 40, text.split(separator: " ").count <= 4, text != title, !text.hasPrefix("@"),
               DateParser.find(in: text, skipUpdated: false, monthFirst: false) == nil {
                return text
            }
        }
        return nil
    }

    private func tags(_ s: PageSignals, _ ld: StructuredData) -> [String] {
        var raw: [String] = s.all("article:tag") + s.all("og:article:tag")
        if raw.isEmpty { raw = ld.keywords }
        if raw.isEmpty {
            for key in ["keywords", "news_keywords", "parsely-tags", "sailthru.tags", "dc.subject"] where raw.isEmpty {
                raw = s.all(key)
            }
        }
        if raw.isEmpty {
            for node in s.tagNodes {
                let links = node.descendantElements { $0.isElement("a") }.map { $0.textContent.collapsingWhitespace() }
                raw = links.filter { !$0.isEmpty && $0.count <= 50 }
                if !raw.isEmpty { break }
            }
        }
        var out: [String] = []
        var seen = Set<String>()
        for value in raw {
            let separator: Character = value.contains(",") ? "," : (value.contains(";") ? ";" : ",")
            for piece in value.split(separator: separator) {
                let tag = String(piece).collapsingWhitespace()
                guard !tag.isEmpty, tag.count <= 80, seen.insert(tag.lowercased()).inserted else { continue }
                out.append(tag)
            }
        }
        return Array(out.prefix(40))
    }
}

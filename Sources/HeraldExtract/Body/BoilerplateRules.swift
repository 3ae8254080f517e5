import HeraldXML

/// How an element's class and id read: boilerplate (share bars, related lists, comments...),
/// article content, or neither. The vocabulary is short and general on purpose: it is what news
/// templates across sites have in common, not any one site's markup.
enum BoilerplateRules {
    /// Words in class/id that mark page furniture rather than the story (matched as substrings).
    static let negativeFragments: [String] = [
        "comment", "share", "sharing", "social", "related", "recommend", "newsletter", "subscri",
        "promo", "sponsor", "cookie", "consent", "gdpr", "breadcrumb", "byline", "author-bio",
        "authorbio", "author-info", "most-read", "mostread", "most-popular", "popular", "trending",
        "modal", "popup", "sidebar", "footer", "masthead", "navbar", "navigation",
        "pagination", "pager", "advert", "outbrain", "taboola", "signup", "sign-up",
        "disqus", "caption", "credit", "sr-only", "visually-hidden", "screen-reader", "skip-link",
        "read-more", "readmore", "more-stories", "more-news", "next-article", "prev-next",
        "further-reading", "also-read", "toolbar", "dateline", "timestamp", "publish-date",
        "article-date", "post-date", "article-meta", "post-meta", "entry-meta", "reading-time",
        "article-tags", "post-tags", "tag-list", "taglist", "topics", "hashtag", "print-only",
        "donate", "membership", "rating", "jump-link",
    ]
    /// Whole class/id tokens (split at non-letters) that mark furniture; too short to match as
    /// substrings without hitting ordinary words.
    static let negativeTokens: Set<String> = [
        "ad", "ads", "adv", "advertisement", "nav", "menu", "meta", "tags", "tag", "share",
        "tools", "print", "banner", "header", "author", "source", "date", "promo", "hidden", "hide",
        "cta", "teaser", "teasers", "rail", "aside", "overlay", "lightbox", "login", "signin",
    ]
    /// Words that mark the story's own container (substrings).
    static let positiveFragments: [String] = [
        "article", "body", "content", "entry", "main", "post", "story", "text", "blog", "news-detail",
    ]

    /// -1 boilerplate, +1 content, 0 unknown, judged from one class or id value.
    static func verdict(_ value: String) -> Int {
        guard !value.isEmpty else { return 0 }
        let lower = value.lowercased()
        if isNegative(lower) { return -1 }
        for f in positiveFragments where lower.contains(f) { return 1 }
        return 0
    }

    static func isNegative(_ lower: String) -> Bool {
        for f in negativeFragments where lower.contains(f) { return true }
        var token = ""
        for ch in lower.unicodeScalars {
            if ch.properties.isAlphabetic {
                token.unicodeScalars.append(ch)
            } else {
                if !token.isEmpty, negativeTokens.contains(token) { return true }
                token = ""
            }
        }
        return !token.isEmpty && negativeTokens.contains(token)
    }

    /// Readability's class weight: +25 per content-like class or id, -25 per boilerplate one.
    static func classWeight(of node: Node) -> Int {
        var w = 0
        if let c = node.attribute("class") { w += 25 * verdict(c) }
        if let i = node.attribute("id") { w += 25 * verdict(i) }
        return w
    }

    /// True when the element is hidden from readers by attribute or inline style.
    static func isHidden(_ node: Node) -> Bool {
        if node.hasAttribute("hidden") { return true }
        if let aria = node.attribute("aria-hidden"), aria.lowercased() == "true" { return true }
        if let style = node.attribute("style"), style.count >= 12 {
            let compact = String(style.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
            if compact.contains("display:none") || compact.contains("visibility:hidden") { return true }
        }
        return false
    }

    /// True when the element's class or id has a content word (`article`, `body`, `story`...).
    static func looksLikeContent(_ node: Node) -> Bool {
        for value in [node.attribute("class"), node.attribute("id")] {
            guard let lower = value?.lowercased() else { continue }
            for f in positiveFragments where lower.contains(f) { return true }
        }
        return false
    }

    /// True when the element's class or id says it is page furniture.
    static func looksLikeBoilerplate(_ node: Node) -> Bool {
        if let c = node.attribute("class"), isNegative(c.lowercased()) { return true }
        if let i = node.attribute("id"), isNegative(i.lowercased()) { return true }
        if let role = node.attribute("role") {
            switch role.lowercased() {
            case "navigation", "complementary", "banner", "contentinfo", "menu", "menubar",
                 "dialog", "alertdialog", "search", "toolbar", "tablist":
                return true
            default: break
            }
        }
        return false
    }
}

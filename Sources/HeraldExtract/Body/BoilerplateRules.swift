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
        "donate", "membership", "rating", "jump-link", "gallery", "slideshow", "carousel",
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

    /// Readability's class weight: +25 per content-like class or id, -25 per boilerplate one.
    static func classWeight(of node: Node, _ names: ClassNameJudge) -> Int {
        guard node.hasAttributes else { return 0 }
        var w = 0
        if let c = node.attribute("class") { w += 25 * names.judge(c).verdict }
        if let i = node.attribute("id") { w += 25 * names.judge(i).verdict }
        return w
    }

    /// Lines that templates put inside article bodies: widget labels, not prose.
    static let boilerplateLines: [String] = [
        "advertisement", "sharing is caring", "you may also like", "like this", "related",
        "read more", "share this", "comments", "click here", "sign up", "subscribe", "follow us",
        "recommended", "more from", "see also", "also read", "share", "print", "email",
        "continue reading", "story continues below", "scroll to continue",
    ]

    /// True for a short paragraph that is only a widget label ("Advertisement", "Read more").
    static func isBoilerplateLine(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count <= 40 else { return false }
        var lower = paragraph.lowercased()
        while let last = lower.unicodeScalars.last, !last.properties.isAlphabetic { lower.unicodeScalars.removeLast() }
        return boilerplateLines.contains(lower)
    }

    /// True for a wire-style credit line ("(Reporting by ...; Editing by ...)", "X contributed to
    /// this report."): the story's byline at its end, which a body leaves out like the one on top.
    static func isCreditLine(_ paragraph: String) -> Bool {
        let bytes = Array(paragraph.utf8)
        guard bytes.count <= 300 else { return false }
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let body = lower.first == UInt8(ascii: "(") ? lower.dropFirst() : lower[...]
        for start in creditStarts where body.starts(with: start) { return true }
        return creditPhrases.contains { phrase in
            guard lower.count >= phrase.count else { return false }
            return (0...(lower.count - phrase.count)).contains { lower[$0..<($0 + phrase.count)].elementsEqual(phrase) }
        }
    }

    private static let creditStarts = ["reporting by", "additional reporting by", "writing by", "editing by",
                                       "compiled by"].map { Array($0.utf8) }
    private static let creditPhrases = ["contributed to this report", "contributed reporting"].map { Array($0.utf8) }

    /// True for a short line that reads as a byline or dateline ("By Jane Doe", "Updated at
    /// 1:23 p.m.", "Nov 20 2019, 11:06am"): dropped only before the story's first real paragraph.
    static func isBylineOrDateline(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count < 80 else { return false }
        let lower = paragraph.lowercased()
        for start in ["by ", "updated", "published", "posted", "last updated", "last modified"]
            where lower.hasPrefix(start) {
            return true
        }
        var words = 0, inWord = false, year = false, digits = 0
        for u in lower.utf8 {
            let isDigit = u >= 0x30 && u <= 0x39
            let isLetter = (u >= 0x61 && u <= 0x7A) || u >= 0x80
            if isDigit { digits += 1 } else {
                if digits == 4 { year = true }
                digits = 0
            }
            if (isDigit || isLetter) && !inWord { words += 1 }
            inWord = isDigit || isLetter
        }
        if digits == 4 { year = true }
        return year && words <= 8
    }

    /// True when the element is hidden from readers by attribute or inline style.
    static func isHidden(_ node: Node) -> Bool {
        guard node.hasAttributes else { return false }
        if node.hasAttribute("hidden") { return true }
        if let aria = node.attribute("aria-hidden"), aria == "true" || aria.lowercased() == "true" { return true }
        if let style = node.attribute("style"), style.utf8.count >= 12 {
            let compact = String(style.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
            if compact.contains("display:none") || compact.contains("visibility:hidden") { return true }
        }
        return false
    }

    /// True when the element's class or id has a content word (`article`, `body`, `story`...).
    static func looksLikeContent(_ node: Node, _ names: ClassNameJudge) -> Bool {
        if let c = node.attribute("class"), names.judge(c).positive { return true }
        if let i = node.attribute("id"), names.judge(i).positive { return true }
        return false
    }

    /// True when the element's class or id says it is page furniture.
    static func looksLikeBoilerplate(_ node: Node, _ names: ClassNameJudge) -> Bool {
        guard node.hasAttributes else { return false }
        if let c = node.attribute("class"), names.judge(c).negative { return true }
        if let i = node.attribute("id"), names.judge(i).negative { return true }
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

/// Judges class and id values against `BoilerplateRules`, remembering each distinct value: a page
/// repeats the same few class names thousands of times. One per extraction, not shared.
final class ClassNameJudge {
    struct Judgement {
        var negative = false
        var positive = false
        /// Names an article body container (`article-body`, `story_content`...): the rank of its
        /// content word in `KnownContainers.subjects`.
        var bodySubject: Int? = nil
        var verdict: Int { (positive ? 1 : 0) - (negative ? 1 : 0) }
    }

    private var cache: [String: Judgement] = [:]
    private static let negativeFragments = BoilerplateRules.negativeFragments.map { Array($0.utf8) }
    private static let positiveFragments = BoilerplateRules.positiveFragments.map { Array($0.utf8) }

    func judge(_ value: String) -> Judgement {
        if let known = cache[value] { return known }
        var j = Judgement()
        let lower = value.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        j.negative = Self.negativeFragments.contains { ClassNameJudge.contains(lower, $0) }
            || Self.hasNegativeToken(lower)
        j.positive = Self.positiveFragments.contains { ClassNameJudge.contains(lower, $0) }
        j.bodySubject = KnownContainers.bodySubject(value)
        if cache.count < 10_000 { cache[value] = j }
        return j
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count
        guard haystack.count >= n, let first = needle.first else { return false }
        var i = 0
        let last = haystack.count - n
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < n && haystack[i + k] == needle[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }

    private static func hasNegativeToken(_ lower: [UInt8]) -> Bool {
        var start = 0
        var i = 0
        while i <= lower.count {
            let isLetter = i < lower.count && ((lower[i] >= 0x61 && lower[i] <= 0x7A) || lower[i] >= 0x80)
            if !isLetter {
                if i > start, i - start <= 14,
                   BoilerplateRules.negativeTokens.contains(String(decoding: lower[start..<i], as: UTF8.self)) {
                    return true
                }
                start = i + 1
            }
            i += 1
        }
        return false
    }
}

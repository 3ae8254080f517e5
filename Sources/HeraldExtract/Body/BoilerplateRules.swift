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

    /// Lines that templates put inside article bodies: widget labels, not prose.
    static let boilerplateLines: [String] = [
        "advertisement", "sharing is caring", "you may also like", "like this", "related",
        "read more", "share this", "comments", "click here", "sign up", "subscribe", "follow us",
        "recommended", "more from", "see also", "also read", "share", "print", "email",
        "continue reading", "story continues below", "scroll to continue", "related stories",
        "related articles", "related links", "related content", "more on this story", "most popular",
        "most read", "top stories",
    ]

    /// True for a short paragraph that is only a widget label ("Advertisement", "Read more").
    static func isBoilerplateLine(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count <= 40 else { return false }
        var lower = paragraph.lowercased()
        while let last = lower.unicodeScalars.last, !last.properties.isAlphabetic { lower.unicodeScalars.removeLast() }
        return boilerplateLines.contains(lower)
    }

    /// True for a wire-style credit line ("(Reporting by ...; Editing by ...)", "X contributed to
    /// this report.", "Photo credit: ..."): the story's byline at its end, which a body leaves out
    /// like the one on top; and for a blog template's filing line ("This entry was posted on ...
    /// and is filed under ...", "Tags: ...", "Related posts:").
    static func isCreditLine(_ paragraph: String) -> Bool {
        guard let lower = lowerBytes(paragraph, limit: 300) else { return false }
        let body = lower.first == UInt8(ascii: "(") ? lower.dropFirst() : lower[...]
        for start in creditStarts where body.starts(with: start) { return true }
        return creditPhrases.contains { contains(lower, $0) }
    }

    /// True for a newsletter or subscription pitch ("Sign up for our daily newsletter", "Subscribe
    /// to get the latest in your inbox"): a promo, however it is marked up.
    static func isPromoLine(_ paragraph: String) -> Bool {
        guard let lower = lowerBytes(paragraph, limit: 300) else { return false }
        return promoVerbs.contains { contains(lower, $0) } && promoObjects.contains { contains(lower, $0) }
    }

    private static let promoVerbs = ["sign up", "subscribe"].map { Array($0.utf8) }
    private static let promoObjects = ["newsletter", "inbox"].map { Array($0.utf8) }

    /// The text as ASCII-lower-cased bytes, or nil when longer than `limit` bytes.
    private static func lowerBytes(_ text: String, limit: Int) -> [UInt8]? {
        guard text.utf8.count <= limit else { return nil }
        return text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }

    private static func contains(_ text: [UInt8], _ phrase: [UInt8]) -> Bool {
        guard text.count >= phrase.count else { return false }
        return (0...(text.count - phrase.count)).contains { text[$0..<($0 + phrase.count)].elementsEqual(phrase) }
    }

    private static let creditStarts = ["reporting by", "additional reporting by", "writing by", "editing by",
                                       "compiled by", "photo credit", "image credit", "photo courtesy",
                                       "this entry was posted", "filed under:", "tags:", "tagged:",
                                       "posted in:", "categories:", "related post"].map { Array($0.utf8) }
    private static let creditPhrases = ["contributed to this report", "contributed reporting"].map { Array($0.utf8) }

    /// True for a short line that reads as a byline or dateline ("By Jane Doe", "Updated at
    /// 1:23 p.m.", "Nov 20 2019, 11:06am"): dropped only before the story's first real paragraph.
    static func isBylineOrDateline(_ paragraph: String) -> Bool {
        guard paragraph.utf8.count < 80 else { return false }
        let lower = paragraph.lowercased()
        // "By Jane Doe", not "By the time ...": a name follows.
        if lower.hasPrefix("by "), let next = paragraph.unicodeScalars.dropFirst(3).first,
           next.properties.isUppercase {
            return true
        }
        for start in ["updated", "published", "posted", "last updated", "last modified"] where lower.hasPrefix(start) {
            return true
        }
        // A date: a year, few words, and a time, a month name or mostly digits.
        var words = 0, inWord = false, year = false, digits = 0, allDigits = 0, letters = 0
        var previous: UInt8 = 0, time = false
        for u in lower.utf8 {
            let isDigit = u >= 0x30 && u <= 0x39
            let isLetter = (u >= 0x61 && u <= 0x7A) || u >= 0x80
            if isDigit {
                digits += 1
                allDigits += 1
                if previous == UInt8(ascii: ":") { time = true }
            } else {
                if digits == 4 { year = true }
                digits = 0
            }
            if isLetter { letters += 1 }
            if (isDigit || isLetter) && !inWord { words += 1 }
            inWord = isDigit || isLetter
            previous = u
        }
        if digits == 4 { year = true }
        guard year && words <= 8 else { return false }
        let month = monthPrefixes.contains { lower.contains($0) }
        return time || month || allDigits >= letters
    }

    private static let monthPrefixes = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                        "oct", "nov", "dec"]

    /// True when an inline style hides the element (`display: none`, `visibility: hidden`).
    static func styleHides(_ style: String) -> Bool {
        guard style.utf8.count >= 12 else { return false }
        // Lower-cased ASCII without whitespace, compared as bytes.
        var compact: [UInt8] = []
        compact.reserveCapacity(style.utf8.count)
        for b in style.utf8 where b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D {
            compact.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
        }
        return hidingStyles.contains { want in
            compact.count >= want.count
                && (0...(compact.count - want.count)).contains { compact[$0..<($0 + want.count)].elementsEqual(want) }
        }
    }

    private static let hidingStyles = ["display:none", "visibility:hidden"].map { Array($0.utf8) }
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
        /// Both kinds of words occur and a furniture word comes first ("related-content",
        /// "jp-relatedposts", "comment-body"; not "content-with-sidebar", "entry-content-read-more").
        var negativeFirst = false
        var verdict: Int { (positive ? 1 : 0) - (negative ? 1 : 0) }
    }

    private var cache: [String: Judgement] = [:]
    private static let negativeFragments = FragmentSet(BoilerplateRules.negativeFragments)
    private static let positiveFragments = FragmentSet(BoilerplateRules.positiveFragments)
    /// Every body name has one of these (`KnownContainers`: subjects, and exact names like `bodytext`).
    private static let subjectFragments = FragmentSet(KnownContainers.subjects + ["body", "text"])
    private static let maxTokenLength = BoilerplateRules.negativeTokens.map(\.utf8.count).max() ?? 0

    func judge(_ value: String) -> Judgement {
        if let known = cache[value] { return known }
        var j = Judgement()
        let lower = value.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let negativeAt = [Self.negativeFragments.firstOccurrence(in: lower), Self.negativeToken(in: lower)]
            .compactMap { $0 }.min()
        let positiveAt = Self.positiveFragments.firstOccurrence(in: lower, atWordStart: true)
        j.negative = negativeAt != nil
        j.positive = positiveAt != nil
        if let n = negativeAt, let p = positiveAt { j.negativeFirst = n < p }
        if Self.subjectFragments.occurs(in: lower) { j.bodySubject = KnownContainers.bodySubject(value) }
        // ids are mostly unique: remembering them would only grow the table.
        if cache.count < 4_096 { cache[value] = j }
        return j
    }

    /// Substring search for a fixed set of ASCII fragments, indexed by first byte so that each
    /// position of the text is checked only against the fragments that can start there.
    private struct FragmentSet {
        var byFirstByte = [[[UInt8]]](repeating: [], count: 256)

        init(_ fragments: [String]) {
            for f in fragments {
                let bytes = Array(f.utf8)
                if let first = bytes.first { byFirstByte[Int(first)].append(bytes) }
            }
        }

        func occurs(in text: [UInt8]) -> Bool { firstOccurrence(in: text) != nil }

        /// Where the first fragment starts in the text; with `atWordStart`, only where a word
        /// starts (after a non-letter), so that "history" does not read as "story".
        func firstOccurrence(in text: [UInt8], atWordStart: Bool = false) -> Int? {
            let n = text.count
            for i in 0..<n {
                if atWordStart && i > 0 && ClassNameJudge.isLetter(text[i - 1]) { continue }
                for fragment in byFirstByte[Int(text[i])] where fragment.count <= n - i {
                    var k = 1
                    while k < fragment.count && text[i + k] == fragment[k] { k += 1 }
                    if k == fragment.count && !ClassNameJudge.isOrdinaryWord(text, at: i, fragment) { return i }
                }
            }
            return nil
        }
    }

    static func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || b >= 0x80 }

    /// Ordinary words that contain a furniture fragment, as ids made from headings do
    /// ("shared-history", "shareholders", "celebrating").
    static func isOrdinaryWord(_ text: [UInt8], at i: Int, _ fragment: [UInt8]) -> Bool {
        let after = i + fragment.count
        func followedBy(_ s: String) -> Bool {
            let b = Array(s.utf8)
            return after + b.count <= text.count && Array(text[after..<(after + b.count)]) == b
        }
        switch String(decoding: fragment, as: UTF8.self) {
        case "share": return followedBy("d") || followedBy("hold")
        case "rating": return i > 0 && isLetter(text[i - 1])
        default: return false
        }
    }

    /// Where the first whole furniture token ("ad", "meta"...) starts.
    private static func negativeToken(in lower: [UInt8]) -> Int? {
        var start = 0
        var i = 0
        while i <= lower.count {
            let isLetter = i < lower.count && ((lower[i] >= 0x61 && lower[i] <= 0x7A) || lower[i] >= 0x80)
            if !isLetter {
                if i > start, i - start <= maxTokenLength,
                   BoilerplateRules.negativeTokens.contains(String(decoding: lower[start..<i], as: UTF8.self)) {
                    return start
                }
                start = i + 1
            }
            i += 1
        }
        return nil
    }
}

/// How `herald extract --explain` tells why a body is what it is: which strategy won, what the
/// self-check found wrong with the main answer, and every candidate weighed with its verdict.
///
/// A plain value, encoded as the `explain` field of the extract command's output.
public struct BodyExplanation: Sendable, Equatable, Codable {
    /// Where a candidate body came from.
    public enum Strategy: String, Sendable, Codable {
        /// A known article container (`itemprop=articleBody`, `article-body`, `<article>`...).
        case knownContainer = "known-container"
        /// The Readability-style scorer's winner and the siblings merged with it.
        case scorer = "readability-scorer"
        /// Everything left after cleaning (a page with no block long enough to score).
        case cleanedPage = "cleaned-page"
        /// The element holding the most paragraphs of link-poor running text.
        case densestCluster = "densest-cluster"
        /// The main answer with the article paragraphs between the headline and it put back.
        case headlineExtended = "headline-extended"
        /// Every paragraph of running text under the page's body, in order.
        case baseline
        /// The page's JSON-LD `articleBody`.
        case structuredData = "structured-data"
        /// The scorer's winner after a gentler cleaning (class names ignored), when the full
        /// cleaning removed the page's largest cluster of prose.
        case gentleCleaning = "gentle-cleaning"
    }

    /// One answer weighed.
    public struct Candidate: Sendable, Equatable, Codable {
        public var strategy: Strategy
        /// Positional XPaths of the elements rendered (empty for structured data): the first 20,
        /// then "... and N more".
        public var xpath: [String]
        public var words: Int
        /// Words in paragraphs that read as prose (ten words or more with a sentence in them).
        public var proseWords: Int
        /// "chosen", or why it lost.
        public var verdict: String
        /// The start of its text.
        public var starts: String

        enum CodingKeys: String, CodingKey {
            case strategy, xpath, words, verdict, starts
            case proseWords = "prose_words"
        }
    }

    public var strategy: Strategy
    /// What the self-check found wrong with the main answer; empty when it passed and no
    /// fallback was needed.
    public var checks: [String]
    public var candidates: [Candidate]
}

/// A body the extractor may return: rendered, finished paragraphs and how much prose they hold.
struct BodyCandidate {
    var strategy: BodyExplanation.Strategy
    var roots: [Int]
    var paragraphs: [String]
    var words: Int
    var proseWords: Int
    var proseCharacters: Int
    var path: [String] = []

    init(_ strategy: BodyExplanation.Strategy, roots: [Int], paragraphs: [String]) {
        self.strategy = strategy
        self.roots = roots
        self.paragraphs = paragraphs
        var words = 0, proseWords = 0, proseCharacters = 0
        for p in paragraphs {
            let n = WordCount.of(p)
            words += n
            if n >= 10 && BodyCandidate.hasSentence(p) {
                proseWords += n
                proseCharacters += p.utf8.count
            }
        }
        self.words = words
        self.proseWords = proseWords
        self.proseCharacters = proseCharacters
    }

    var text: String { paragraphs.joined(separator: "\n\n") }

    /// The share of the headline's words (four letters or more, compared by `WordStem`) found
    /// in the candidate's first 150 words, where a story names its subject; nil when the
    /// headline has fewer than three such words.
    func headlineOverlap(_ headline: Set<WordStem>) -> Double? {
        guard headline.count >= 3 else { return nil }
        var missing = headline
        var count = 0
        for p in paragraphs {
            WordStem.forEach(in: p) { stem, length in
                if length >= 4 { missing.remove(stem) }
                count += 1
                return count < 150 && !missing.isEmpty
            }
            if count >= 150 || missing.isEmpty { break }
        }
        return Double(headline.count - missing.count) / Double(headline.count)
    }

    /// The words of four letters or more of a headline: what a story about it repeats.
    static func headlineWords(_ title: String?) -> Set<WordStem> {
        var out = Set<WordStem>()
        WordStem.forEach(in: title ?? "") { stem, length in
            if length >= 4 { out.insert(stem) }
            return true
        }
        return out
    }

    func explained(_ verdict: String) -> BodyExplanation.Candidate {
        var start = String(text.prefix(80))
        if let newline = start.firstIndex(of: "\n") { start = String(start[..<newline]) }
        return BodyExplanation.Candidate(strategy: strategy, xpath: path, words: words, proseWords: proseWords,
                                         verdict: verdict, starts: start)
    }

    /// True when the paragraph ends a sentence somewhere: a full stop, question or exclamation
    /// mark (or their CJK forms) followed by a space, a closing quote or the end.
    static func hasSentence(_ p: String) -> Bool {
        var previousEnds = false
        for u in p.utf8 {
            if previousEnds && (u == 0x20 || u == 0x0A || u == 0x22 || u == 0xE2) { return true }
            previousEnds = u == 0x2E || u == 0x21 || u == 0x3F
        }
        if previousEnds { return true }
        return p.contains("\u{3002}") || p.contains("\u{FF01}") || p.contains("\u{FF1F}")
    }
}

/// The main answer tested against what the page itself says. It fails when the body is empty;
/// when it holds far less prose than the page's largest cluster of running text; when the
/// page's JSON-LD `articleBody` is far longer; when it is mostly not prose (captions, a teaser,
/// a list of links); or when it starts mid-story (article paragraphs between the headline and
/// it were left out).
struct BodySelfCheck {
    var failures: [String] = []
    /// Paragraphs of prose between the headline and the main answer, in document order.
    var droppedLead: [Int] = []
    /// The full cleaning removed the page's largest cluster of prose.
    var cleaningLostProse = false

    var passed: Bool { failures.isEmpty }
    var onlyOffTopic: Bool { offTopic && failures.count == 1 }
    /// Another block of the same kind holds as much prose as the main answer.
    var tied = false
    /// The page's JSON-LD `articleBody` is far longer than the main answer.
    var structuredLonger = false
    /// Every finding is about which block is the story (a tie, or off-topic), none about the
    /// answer lacking text.
    var onlyAmbiguity: Bool { failures.count == (offTopic ? 1 : 0) + (tied ? 1 : 0) }

    /// The main answer shares too few words with the headline; the choice then prefers a
    /// candidate that does.
    var offTopic = false

    init(primary: BodyCandidate, tree: PageTree, cleanedCluster: ProseCluster, pageCluster: ProseCluster,
         structuredBody: String?, headline: Set<WordStem>, rivals: Int) {
        if rivals > 0 {
            tied = true
            failures.append("tie: \(rivals) other block\(rivals == 1 ? "" : "s") of the same kind with as much prose")
        }
        let cluster = max(cleanedCluster.characters, pageCluster.characters)
        let pageProse = BodySelfCheck.prose(under: [0], in: tree)
        let primaryProse = BodySelfCheck.prose(under: primary.roots, in: tree)
        if primary.words > 0 && primaryProse * 10 < pageProse * 3 {
            failures.append("little of the page: \(primaryProse) of the page's \(pageProse) characters of running text")
        }
        if primary.words > 0, let overlap = primary.headlineOverlap(headline), overlap < 0.2 {
            offTopic = true
            failures.append("off-topic: \(Int(overlap * 100))% of the headline's words in its first 150")
        }
        if primary.words == 0 {
            failures.append("empty")
        } else if primary.proseCharacters * 2 < cluster {
            failures.append("short: \(primary.proseCharacters) characters of prose, the page has a cluster of \(cluster)")
        }
        // An empty answer is tried again after a gentle cleaning whatever the clusters say: the
        // story may be text between <br>s, or in blocks too short to count as paragraphs.
        if primary.words == 0 || (pageCluster.characters > 2 * cleanedCluster.characters + 500
                                    && primary.proseCharacters * 2 < pageCluster.characters) {
            cleaningLostProse = true
            failures.append("cleaning removed \(pageCluster.characters - cleanedCluster.characters) characters of the largest prose cluster")
        }
        if let structured = structuredBody,
           structured.unicodeScalars.count > 2 * BodyFinisher.characters(primary.paragraphs) + 200 {
            structuredLonger = true
            failures.append("structured data: JSON-LD articleBody has \(structured.unicodeScalars.count) characters")
        }
        if primary.words > 0 && primary.proseWords * 2 < primary.words {
            failures.append("not prose: \(primary.proseWords) of \(primary.words) words in sentences")
        }
        if let first = primary.roots.first,
           let headline = (1..<max(tree.count, 1)).first(where: { tree.tags[$0] == .h1 }), headline < first,
           !primary.roots.contains(where: { tree.contains($0, headline) }) {
            var characters = 0
            var lead: [Int] = []
            var i = tree.end[headline]
            while i < first {
                if ProseCluster.isProse(i, in: tree) && tree.text[i] >= 80 {
                    lead.append(i)
                    characters += tree.text[i]
                    i = tree.end[i]
                } else {
                    i += 1
                }
            }
            if lead.count >= 2 && characters >= 200 {
                droppedLead = lead
                failures.append("mid-story: \(lead.count) paragraphs (\(characters) characters) between the headline and the body")
            }
        }
    }

    /// Characters of link-free text in the paragraphs of running text at or below `roots`.
    static func prose(under roots: [Int], in tree: PageTree) -> Int {
        var total = 0
        for root in roots {
            if ProseCluster.isProse(root, in: tree) {
                total += tree.text[root] - tree.linkText[root]
                continue
            }
            for i in proseBlocks(under: root, in: tree) { total += tree.text[i] - tree.linkText[i] }
        }
        return total
    }

    /// Paragraphs of running text below `root`, in document order.
    static func proseBlocks(under root: Int, in tree: PageTree) -> [Int] {
        var out: [Int] = []
        var i = root + 1
        while i < tree.end[root] {
            if ProseCluster.isProse(i, in: tree) {
                out.append(i)
                i = tree.end[i]
            } else {
                i += 1
            }
        }
        return out
    }
}

/// The rule that keeps one candidate when the self-check failed (the JSON-LD `articleBody`
/// competing only when it is far longer than the main answer): the one with the most prose
/// words (words in paragraphs of ten words or more that hold a sentence), except that when that
/// one shares under a fifth of the headline's words, the most prose among the candidates that
/// share half or more of them (and hold at least 30% of the most prose) wins. When the only
/// finding was "off-topic" and no candidate is on the headline's topic, the main answer stays.
struct BodyChoice {
    var winner = 0
    var verdicts: [String]

    init(candidates: [BodyCandidate], check: BodySelfCheck, headline: Set<WordStem>) {
        verdicts = Array(repeating: "", count: candidates.count)
        if check.passed {
            for k in candidates.indices { verdicts[k] = k == 0 ? "chosen: passed the self-check" : "not needed: the main answer passed the self-check" }
            return
        }
        let overlaps = candidates.map { $0.headlineOverlap(headline) }
        // JSON-LD is not what readers see: it stands in for the page only when it is far longer
        // than the main answer (a page that prints a teaser), never for being on topic.
        let eligible = candidates.indices.filter { candidates[$0].strategy != .structuredData || check.structuredLonger }
        var best = 0
        for k in eligible where candidates[k].proseWords > candidates[best].proseWords { best = k }
        let mostProse = best
        let onTopic = eligible.filter {
            (overlaps[$0] ?? 0) >= 0.5 && Double(candidates[$0].proseWords) >= 0.3 * Double(candidates[mostProse].proseWords)
        }
        if let o = overlaps[best], o < 0.2, let k = onTopic.max(by: { candidates[$0].proseWords < candidates[$1].proseWords }) {
            best = k
        }
        // A tie is settled by the headline: a main answer on its topic stays.
        if check.onlyAmbiguity && (overlaps[0] ?? 1) >= 0.5 { best = 0 }
        if check.onlyOffTopic && !onTopic.contains(best) { best = 0 }
        winner = best
        for k in candidates.indices {
            if k == best {
                verdicts[k] = "chosen"
            } else if k == mostProse && candidates[k].proseWords > candidates[best].proseWords {
                verdicts[k] = "most prose words, but off the headline's topic"
            } else {
                verdicts[k] = "\(candidates[k].proseWords) prose words against \(candidates[best].proseWords)"
            }
        }
    }
}

/// A word's first four letters, lower-cased: enough to tell topics apart, and "China" and
/// "Chinese", "economy" and "economic" meet there, in any language, without a stemmer. A value
/// of four scalars, so that comparing the words of a page allocates nothing.
struct WordStem: Hashable {
    private var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0

    private mutating func set(_ k: Int, _ v: UInt32) {
        switch k {
        case 0: a = v
        case 1: b = v
        case 2: c = v
        case 3: d = v
        default: break
        }
    }

    /// Calls `visit` with the stem and length (in scalars) of each lower-cased run of letters
    /// and digits, until it returns false.
    static func forEach(in text: String, _ visit: (WordStem, Int) -> Bool) {
        var stem = WordStem()
        var length = 0
        func add(_ v: UInt32) {
            stem.set(length, v)
            length += 1
        }
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { add(v); continue }
                if v >= 0x41 && v <= 0x5A { add(v + 0x20); continue }
            } else if s.properties.isAlphabetic || s.properties.numericType != nil {
                for l in s.properties.lowercaseMapping.unicodeScalars { add(l.value) }
                continue
            }
            if length > 0 {
                if !visit(stem, length) { return }
                stem = WordStem()
                length = 0
            }
        }
        if length > 0 { _ = visit(stem, length) }
    }
}

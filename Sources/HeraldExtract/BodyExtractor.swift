import Foundation
import HeraldXML

/// Finds the article's own text in a parsed page and renders it as plain text: paragraphs
/// separated by one blank line, boilerplate left out.
///
/// Cleans the document in place (call it after metadata extraction). The main answer is the
/// first known article container (`KnownContainers`) that renders to 200+ characters, else the
/// Readability-style winner (`ContentScorer`). That answer is then checked against what the page
/// itself says (`BodySelfCheck`); only when the check fails are the fallbacks computed and the
/// best of all kept by `BodyChoice`'s rule, so the common path costs no more than one cleaning,
/// one tree and one rendering.
struct BodyExtractor {
    let document: HTMLDocument
    let metadata: PageMetadata

    /// What `extract(explaining:)` answers: the body, its word count (counted once, as the
    /// candidates are measured), and with `explaining` how it was chosen.
    struct Answer {
        var body: String
        var words: Int
        var explanation: BodyExplanation?

        init(_ candidate: BodyCandidate?, _ explanation: BodyExplanation?) {
            let text = candidate?.text ?? ""
            let binary = BodyExtractor.looksBinary(text)
            body = binary ? "" : text
            words = binary ? 0 : candidate?.words ?? 0
            self.explanation = explanation
        }
    }

    /// The body, and with `explaining` the record of how it was chosen.
    func extract(explaining: Bool) -> Answer {
        guard let root = document.body ?? document.root else {
            let paragraphs = metadata.structuredBody.map(BodyExtractor.paragraphs) ?? []
            return Answer(BodyCandidate(.structuredData, roots: [], paragraphs: paragraphs),
                          explaining ? BodyExplanation(strategy: .structuredData, checks: [], candidates: []) : nil)
        }
        let names = ClassNameJudge()
        let removed = DetachedNodes()
        let cleaning = PageCleaner.clean(root, names: names, removed: removed, sizeHint: metadata.elementCount)
        let tree = PageTree(root: root, names: names, knownTraits: cleaning.traits)
        let renderer = TextRenderer(tree: tree)
        let finisher = BodyFinisher(title: metadata.title)

        var primary: BodyCandidate? = nil
        let known = KnownContainers(tree: tree)
        for candidate in known.candidates() {
            let paragraphs = renderer.paragraphs(of: [candidate])
            if BodyFinisher.hasCharacters(paragraphs, atLeast: 200) {
                primary = BodyCandidate(.knownContainer, roots: [candidate], paragraphs: finisher.finish(paragraphs))
                break
            }
        }
        let scorer = ContentScorer(tree: tree)
        var scored: [Int]? = nil
        if primary == nil {
            let best = scorer.bestContent()
            scored = best
            // No block long enough to score (a stub page): what is left after cleaning.
            primary = best.isEmpty
                ? BodyCandidate(.cleanedPage, roots: [0], paragraphs: finisher.finish(renderer.paragraphs(of: [0])))
                : BodyCandidate(.scorer, roots: best, paragraphs: finisher.finish(renderer.paragraphs(of: best)))
        }
        guard let primary else { return Answer(nil, nil) }

        let cluster = ProseCluster.largest(in: tree)
        let headline = BodyCandidate.headlineWords(metadata.title)
        let check = BodySelfCheck(primary: primary, tree: tree, cleanedCluster: cluster,
                                  pageCluster: cleaning.pageCluster, structuredBody: metadata.structuredBody,
                                  headline: headline,
                                  rivals: primary.strategy == .knownContainer ? known.rivals(of: primary.roots[0]) : 0)
        if check.passed && !explaining {
            return Answer(primary, nil)
        }

        // Fallbacks on the cleaned tree first: rendering walks the document in step with this
        // tree, so everything that needs it is done before the cleaning is undone.
        var candidates = [primary]
        // A fallback that lands on elements already weighed adds nothing but rendering time.
        func add(_ strategy: BodyExplanation.Strategy, _ roots: [Int]) {
            guard !roots.isEmpty, !candidates.contains(where: { $0.roots == roots }) else { return }
            candidates.append(BodyCandidate(strategy, roots: roots, paragraphs: finisher.finish(renderer.paragraphs(of: roots))))
        }
        if primary.strategy == .knownContainer { add(.scorer, scored ?? scorer.bestContent()) }
        if cluster.element >= 0 { add(.densestCluster, [cluster.element]) }
        if !check.droppedLead.isEmpty {
            let lead = finisher.finish(renderer.paragraphs(of: check.droppedLead))
            candidates.append(BodyCandidate(.headlineExtended, roots: check.droppedLead + primary.roots,
                                            paragraphs: lead + primary.paragraphs))
        }
        // A main answer whose only fault is sharing no words with the headline is weighed against
        // the other blocks alone: the baseline is all of them at once, never more on topic.
        if !check.onlyOffTopic { add(.baseline, BodySelfCheck.proseBlocks(under: 0, in: tree)) }
        if let structured = metadata.structuredBody {
            candidates.append(BodyCandidate(.structuredData, roots: [], paragraphs: BodyExtractor.paragraphs(structured)))
        }
        if explaining {
            for k in candidates.indices { candidates[k].path = BodyExtractor.xpaths(of: candidates[k].roots, in: tree) }
        }
        // Cleaning took the page's story with it: undo it and clean gently.
        if check.cleaningLostProse {
            removed.restore()
            let gentlyRemoved = DetachedNodes()
            let gentle = PageCleaner.clean(root, names: names, strength: .gentle, removed: gentlyRemoved)
            let gentleTree = PageTree(root: root, names: names, knownTraits: gentle.traits)
            let gentleRenderer = TextRenderer(tree: gentleTree, readingNames: false)
            // The scorer's winner, else the densest cluster, else every paragraph of prose, else
            // all that is left: the first of them that renders to any text.
            let gentleCluster = ProseCluster.largest(in: gentleTree)
            let options = [ContentScorer(tree: gentleTree).bestContent(),
                           gentleCluster.element >= 0 ? [gentleCluster.element] : [],
                           BodySelfCheck.proseBlocks(under: 0, in: gentleTree), [0]]
            for roots in options where !roots.isEmpty {
                var c = BodyCandidate(.gentleCleaning, roots: roots, paragraphs: finisher.finish(gentleRenderer.paragraphs(of: roots)))
                guard c.words > 0 else { continue }
                if explaining { c.path = BodyExtractor.xpaths(of: roots, in: gentleTree) }
                candidates.append(c)
                break
            }
            withExtendedLifetime(gentlyRemoved) {}
        }

        let choice = BodyChoice(candidates: candidates, check: check, headline: headline)
        let chosen = candidates[choice.winner]
        let explanation = explaining
            ? BodyExplanation(strategy: chosen.strategy, checks: check.failures,
                              candidates: candidates.indices.map { candidates[$0].explained(choice.verdicts[$0]) })
            : nil
        return Answer(chosen, explanation)
    }

    /// A JSON-LD `articleBody` as paragraphs: its lines, trimmed, empty ones dropped.
    static func paragraphs(_ structured: String) -> [String] {
        structured.components(separatedBy: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// True when the text is mostly undecodable bytes (U+FFFD) or control characters: the page
    /// was not text (an image or archive saved as .html), and its "body" would be noise.
    static func looksBinary(_ text: String) -> Bool {
        var total = 0, bad = 0
        for s in text.unicodeScalars {
            total += 1
            if s.value == 0xFFFD || (s.value < 0x20 && s.value != 0x0A && s.value != 0x09) { bad += 1 }
        }
        return bad * 20 > total
    }

    /// The text of an XPath result chosen by a crawl definition: elements rendered as
    /// paragraphs (scripts and hidden parts left out, nothing else judged), strings as they are.
    func render(_ result: XPathResult) -> String {
        guard case .nodes(let nodes) = result else { return result.strings.joined(separator: "\n\n") }
        var paragraphs: [String] = []
        for node in nodes {
            if node.isElement {
                let tree = PageTree(root: node, names: ClassNameJudge())
                paragraphs += TextRenderer(tree: tree, judging: false).paragraphs(of: [0])
            } else {
                let text = node.textContent.trimmingWhitespace()
                if !text.isEmpty { paragraphs.append(text) }
            }
        }
        return paragraphs.joined(separator: "\n\n")
    }

    /// The XPaths of the first `limit` elements, and how many more there were: a baseline of
    /// thousands of paragraphs would make `--explain` quadratic and unreadable.
    static func xpaths(of roots: [Int], in tree: PageTree, limit: Int = 20) -> [String] {
        var paths = roots.prefix(limit).map { xpath(of: tree.nodes[$0]) }
        if roots.count > limit { paths.append("... and \(roots.count - limit) more") }
        return paths
    }

    /// A positional XPath of an element (`/html/body/div[2]/article`), the form a crawl
    /// definition's `body:` override accepts.
    static func xpath(of node: Node) -> String {
        var steps: [String] = []
        var current: Node? = node
        while let n = current, n.isElement {
            let name = n.name
            var position = 1, total = 1
            var s = n.previousSibling
            while let p = s { if p.isElement && p.name == name { position += 1; total += 1 }; s = p.previousSibling }
            s = n.nextSibling
            while let p = s { if p.isElement && p.name == name { total += 1 }; s = p.nextSibling }
            steps.append(total > 1 ? "\(name)[\(position)]" : name)
            current = n.parent
        }
        return "/" + steps.reversed().joined(separator: "/")
    }

    static func words(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for c in s.lowercased().unicodeScalars {
            if c.properties.isAlphabetic || c.properties.numericType != nil {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.append(c)
            } else {
                space = true
            }
        }
        return String(out)
    }
}

/// The clean-up every candidate body gets once rendered: bylines and datelines before the first
/// real paragraph, the headline repeated, widget labels, credit lines and newsletter pitches.
struct BodyFinisher {
    /// The headline's words, lower-cased, as `BodyExtractor.words` gives them.
    private let titleWords: String?

    init(title: String?) {
        titleWords = title.map(BodyExtractor.words)
    }

    func finish(_ rendered: [String]) -> [String] {
        var chosen = rendered
        if let firstProse = chosen.firstIndex(where: { $0.utf8.count >= 80 }) {
            let lead = chosen[..<firstProse].filter { !BoilerplateRules.isBylineOrDateline($0) }
            chosen = lead + chosen[firstProse...]
        }
        return dropHeadline(chosen).filter {
            !BoilerplateRules.isBoilerplateLine($0) && !BoilerplateRules.isCreditLine($0)
                && !BoilerplateRules.isPromoLine($0)
        }
    }

    /// True when the paragraphs hold `n` characters or more, counted only that far.
    static func hasCharacters(_ paragraphs: [String], atLeast n: Int) -> Bool {
        var count = 0
        for p in paragraphs {
            for _ in p.unicodeScalars {
                count += 1
                if count >= n { return true }
            }
        }
        return false
    }

    static func characters(_ paragraphs: [String]) -> Int {
        paragraphs.reduce(0) { $0 + $1.unicodeScalars.count }
    }

    private func dropHeadline(_ paragraphs: [String]) -> [String] {
        guard let title = titleWords, !title.isEmpty else { return paragraphs }
        // Only a paragraph of about the title's length can be the title again.
        let length = title.utf8.count
        return paragraphs.filter {
            abs($0.utf8.count - length) > length / 2 + 10 || BodyExtractor.words($0) != title
        }
    }
}

import Foundation
import HeraldXML

/// Finds the article's own text in a parsed page and renders it as plain text: paragraphs
/// separated by one blank line, boilerplate left out.
///
/// Cleans the document in place (call it after metadata extraction). Candidates, in order: the
/// first known article container (`KnownContainers`) that renders to 200+ characters, the
/// Readability-style winner (`ContentScorer`), and for stub pages whatever cleaning left; the
/// page's JSON-LD `articleBody` replaces the result when it is clearly longer.
struct BodyExtractor {
    let document: HTMLDocument
    let metadata: PageMetadata

    func extract() -> String {
        guard let root = document.body ?? document.root else { return metadata.structuredBody ?? "" }
        let names = ClassNameJudge()
        let traits = PageCleaner.clean(root, names: names)
        let tree = PageTree(root: root, names: names, knownTraits: traits)
        let renderer = TextRenderer(tree: tree)

        var known: [String]? = nil
        for candidate in KnownContainers(tree: tree).candidates() {
            let paragraphs = renderer.paragraphs(of: [candidate])
            if characters(paragraphs) >= 200 { known = paragraphs; break }
        }
        var chosen = known ?? renderer.paragraphs(of: ContentScorer(tree: tree).bestContent())
        if chosen.isEmpty {
            // No block long enough to score (a stub page): what is left after cleaning.
            chosen = renderer.paragraphs(of: [0])
        }
        if let firstProse = chosen.firstIndex(where: { $0.utf8.count >= 80 }) {
            let lead = chosen[..<firstProse].filter { !BoilerplateRules.isBylineOrDateline($0) }
            chosen = lead + chosen[firstProse...]
        }
        chosen = dropHeadline(chosen).filter {
            !BoilerplateRules.isBoilerplateLine($0) && !BoilerplateRules.isCreditLine($0)
                && !BoilerplateRules.isPromoLine($0)
        }
        // A JSON-LD articleBody is sometimes a teaser, sometimes the whole story: it wins only
        // when it is clearly longer than what the page's markup gave.
        if let structured = metadata.structuredBody, structured.unicodeScalars.count > 2 * characters(chosen) + 200 {
            chosen = structured.components(separatedBy: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        let body = chosen.joined(separator: "\n\n")
        return BodyExtractor.looksBinary(body) ? "" : body
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

    private func characters(_ paragraphs: [String]) -> Int {
        paragraphs.reduce(0) { $0 + $1.unicodeScalars.count }
    }

    private func dropHeadline(_ paragraphs: [String]) -> [String] {
        guard let title = metadata.title.map(BodyExtractor.words), !title.isEmpty else { return paragraphs }
        // Only a paragraph of about the title's length can be the title again.
        let length = title.utf8.count
        return paragraphs.filter {
            abs($0.utf8.count - length) > length / 2 + 10 || BodyExtractor.words($0) != title
        }
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

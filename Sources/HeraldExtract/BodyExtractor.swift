import HeraldXML
import Foundation

/// Finds the article's own text in a parsed page and renders it as plain text: paragraphs
/// separated by one blank line, boilerplate left out.
///
/// Cleans the document in place (call it after metadata extraction). Candidates: the known
/// article containers (`KnownContainers`), the Readability-style winner (`ContentScorer`) and the
/// page's JSON-LD `articleBody`; the most plausible one wins.
struct BodyExtractor {
    let document: HTMLDocument
    let metadata: PageMetadata

    func extract() -> String {
        guard let root = document.body ?? document.root else { return metadata.structuredBody ?? "" }
        PageCleaner.clean(root)
        let tree = PageTree(root: root)
        let renderer = TextRenderer(tree: tree)
        let mode = ProcessInfo.processInfo.environment["HERALD_BODY_MODE"] ?? ""

        var known: [String]? = nil
        for candidate in KnownContainers(tree: tree).candidates() {
            let paragraphs = renderer.paragraphs(of: [candidate])
            if characters(paragraphs) >= 200 { known = paragraphs; break }
        }
        let scored = renderer.paragraphs(of: ContentScorer(tree: tree).bestContent())
        if debugCleaner {
            func d(_ i: Int) -> String { "\(tree.nodes[i].name).\(tree.nodes[i].attribute("class") ?? "")#\(tree.nodes[i].attribute("id") ?? "") text=\(tree.text[i]) ld=\(tree.linkDensity(i))" }
            for c in KnownContainers(tree: tree).candidates() { FileHandle.standardError.write("known: \(d(c)) rendered=\(characters(renderer.paragraphs(of: [c])))\n".data(using: .utf8)!) }
            for c in ContentScorer(tree: tree).bestContent() { FileHandle.standardError.write("scored: \(d(c))\n".data(using: .utf8)!) }
        }
        var chosen: [String]
        switch mode {
        case "known": chosen = known ?? []
        case "scored": chosen = scored
        default:
            chosen = known ?? scored
        }
        chosen = dropHeadline(chosen)
        return chosen.joined(separator: "\n\n")
    }

    private func characters(_ paragraphs: [String]) -> Int {
        paragraphs.reduce(0) { $0 + $1.unicodeScalars.count }
    }

    private func dropHeadline(_ paragraphs: [String]) -> [String] {
        guard let title = metadata.title.map(BodyExtractor.words), !title.isEmpty else { return paragraphs }
        return paragraphs.filter { BodyExtractor.words($0) != title }
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

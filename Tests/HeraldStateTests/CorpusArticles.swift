import Foundation
import HeraldTestSupport

/// Real article texts from the shared corpus: zyte-dev ground-truth bodies (with their URLs)
/// and readability-dev expected contents reduced to text.
enum CorpusArticles {
    struct Article {
        var id: String
        var url: String
        var body: String
        var host: String { URL(string: url)?.host ?? "" }
    }

    static let zyte: [Article] = {
        let file = TestPaths.corpus.appendingPathComponent("zyte-dev/ground-truth.json")
        guard let data = try? Data(contentsOf: file),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [] }
        return json.keys.sorted().compactMap { id in
            guard let body = json[id]?["articleBody"] as? String, let url = json[id]?["url"] as? String else { return nil }
            return Article(id: id, url: url, body: body)
        }
    }()

    static let readability: [Article] = {
        let root = TestPaths.corpus.appendingPathComponent("readability-dev")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            guard let html = try? String(contentsOf: root.appendingPathComponent("\(name)/expected.html"), encoding: .utf8)
            else { return nil }
            return Article(id: name, url: "https://readability.example/\(name)", body: text(ofHTML: html))
        }
    }()

    /// Tags to paragraph breaks, a few entities decoded: enough for word shingles.
    static func text(ofHTML html: String) -> String {
        var s = html.replacingOccurrences(of: "<(script|style)[^>]*>[\\s\\S]*?</\\1>", with: " ",
                                          options: .regularExpression)
        s = s.replacingOccurrences(of: "</?(p|div|h[1-6]|li|br|blockquote)[^>]*>", with: "\n\n",
                                   options: .regularExpression)
        s = s.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        for (entity, char) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " ")] {
            s = s.replacingOccurrences(of: entity, with: char)
        }
        return s
    }

    /// Whitespace-normalized non-empty paragraphs.
    static func paragraphs(_ s: String) -> Set<String> {
        Set(s.components(separatedBy: "\n\n").map {
            $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }.filter { !$0.isEmpty })
    }

    static func wordCount(_ s: String) -> Int {
        s.split(whereSeparator: { $0.isWhitespace }).count
    }
}

/// The kinds of near-copy edits real sites produce.
enum NearCopyEdit: String, CaseIterable {
    case typoFix, creditLine, siteChrome

    /// Returns (as first delivered, as seen again).
    func apply(to body: String) -> (String, String) {
        switch self {
        case .typoFix:
            // The first version has two letters swapped in a word near the middle; the second fixes it.
            var words = body.components(separatedBy: " ")
            var i = words.count / 2
            while i < words.count - 1, words[i].count < 5 || !words[i].allSatisfy(\.isLetter) { i += 1 }
            var chars = Array(words[i])
            chars.swapAt(1, 2)
            let fixed = body
            words[i] = String(chars)
            return (words.joined(separator: " "), fixed)
        case .creditLine:
            return ("By Jane Doe, Staff Writer\n\n" + body + "\n\nReporting by Jane Doe; editing by Mark Smith.",
                    "By Jane Doe and Omar Haddad, Associated Press\n\n" + body
                        + "\n\nReporting by Jane Doe and Omar Haddad; editing by Lisa Wong.")
        case .siteChrome:
            let paragraphs = body.components(separatedBy: "\n\n")
            let middle = paragraphs.count / 2
            let withAd = paragraphs[..<middle] + ["Advertisement"] + paragraphs[middle...]
            return (body, "Home | World | Politics\n\n" + withAd.joined(separator: "\n\n")
                        + "\n\nShare this article: Facebook Twitter Email\n\nSign up for our daily newsletter.")
        }
    }
}

import Foundation

/// The article-extraction-benchmark's body metric: word tokens (runs of Unicode letters, digits
/// and `_`, case kept), overlapping 4-token shingles matched as multisets, precision and recall
/// per page; `BodyScore.Summary` averages them over pages and takes the harmonic mean of the two
/// means, exactly as the published benchmark reports F1.
public struct BodyScore: Sendable, Equatable {
    public var precision: Double
    public var recall: Double

    public var f1: Double { BodyScore.harmonic(precision, recall) }

    /// Scores one extracted body against the expected one.
    public init(expected: String, extracted: String) {
        let truth = BodyScore.shingles(expected)
        let guess = BodyScore.shingles(extracted)
        var tp = 0, fp = 0, fn = 0
        for (shingle, n) in guess {
            let m = truth[shingle] ?? 0
            tp += min(n, m)
            fp += max(n - m, 0)
        }
        for (shingle, m) in truth { fn += max(m - (guess[shingle] ?? 0), 0) }
        if fp == 0 && fn == 0 {
            precision = 1
            recall = 1
        } else {
            precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
            recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        }
    }

    /// Means over pages.
    public struct Summary: Sendable {
        public var precision: Double
        public var recall: Double
        public var f1: Double { BodyScore.harmonic(precision, recall) }

        public init(_ scores: [BodyScore]) {
            let n = Double(max(scores.count, 1))
            precision = scores.reduce(0) { $0 + $1.precision } / n
            recall = scores.reduce(0) { $0 + $1.recall } / n
        }
    }

    static func harmonic(_ a: Double, _ b: Double) -> Double { a + b == 0 ? 0 : 2 * a * b / (a + b) }

    /// Word tokens the way Python's `re.findall(r"\w+")` finds them.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var word = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isWordScalar(s) {
                word.append(s)
            } else if !word.isEmpty {
                out.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        if !word.isEmpty { out.append(String(word)) }
        return out
    }

    /// 4-token shingles with their counts; a text of fewer tokens is one shingle of all of them.
    static func shingles(_ text: String) -> [String: Int] {
        let t = tokens(text)
        var out: [String: Int] = [:]
        guard !t.isEmpty else { return out }
        let n = 4
        for i in 0..<max(1, t.count - n + 1) {
            out[t[i..<min(i + n, t.count)].joined(separator: "\u{1}"), default: 0] += 1
        }
        return out
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

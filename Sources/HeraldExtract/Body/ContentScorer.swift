import HeraldXML

/// The Readability approach to finding an article: every paragraph-like block scores by its
/// length and commas and hands the score up to its parent (full), grandparent (half) and further
/// ancestors (less); class/id names add or subtract weight; the best container's score is scaled
/// by its share of non-link text; its siblings that look like more of the same story join it.
struct ContentScorer {
    let tree: PageTree

    /// The chosen elements (the winner and the siblings merged with it), in document order, or
    /// empty when no block has enough text to score.
    func bestContent() -> [Int] {
        var score = [Double](repeating: 0, count: tree.count)
        var scored = [Bool](repeating: false, count: tree.count)
        func initialize(_ i: Int) {
            guard !scored[i] else { return }
            scored[i] = true
            score[i] = Double(ContentScorer.tagBonus(tree.tags[i]) + tree.traits[i].weight)
        }
        for i in 0..<tree.count {
            let tag = tree.tags[i]
            guard !tag.isInline, tag != .junk, tree.ownText[i] >= 25 else { continue }
            let points = 1 + Double(tree.ownCommas[i]) + Double(min(tree.ownText[i] / 100, 3))
            // A block with only inline content is a paragraph and scores its container; a block
            // that mixes its own text runs with blocks (text between <br>s in a <div>) is itself
            // the container of those runs.
            var target = tree.hasBlockChild[i] ? i : tree.parents[i]
            var level = 0
            while target >= 0 && level < 5 {
                initialize(target)
                let divider: Double = level == 0 ? 1 : (level == 1 ? 2 : Double(level) * 3)
                score[target] += points / divider
                target = tree.parents[target]
                level += 1
            }
        }
        var best = -1
        var bestScore = 0.0
        for i in 0..<tree.count where scored[i] {
            score[i] *= 1 - tree.linkDensity(i)
            if score[i] > bestScore || best < 0 {
                best = i
                bestScore = score[i]
            }
        }
        guard best >= 0 else { return [] }

        // Climb while an ancestor scores at least as well (the story is split in several blocks
        // of one wrapper), and through wrappers with nothing else in them.
        var top = best
        var lastScore = bestScore
        let threshold = bestScore / 3
        var up = tree.parents[top]
        while up > 0 && tree.tags[up] != .body {
            if !scored[up] { up = tree.parents[up]; continue }
            if score[up] < threshold { break }
            if score[up] > lastScore { top = up; break }
            lastScore = score[up]
            up = tree.parents[up]
        }
        while tree.parents[top] > 0, tree.tags[tree.parents[top]] != .body,
              tree.text[tree.parents[top]] == tree.text[top] {
            top = tree.parents[top]
        }

        // Siblings that carry enough score, or paragraphs of link-poor prose, join the winner.
        let parent = tree.parents[top]
        guard parent >= 0 else { return [top] }
        let topScore = scored[top] ? score[top] : bestScore
        let siblingThreshold = max(10, topScore * 0.2)
        let topClass = tree.traits[top].className
        var chosen: [Int] = []
        var s = parent + 1
        while s < tree.end[parent] {
            defer { s = tree.end[s] }
            if s == top { chosen.append(s); continue }
            guard !tree.tags[s].isInline || tree.text[s] > 0 else { continue }
            var bonus = 0.0
            if let c = topClass, !c.isEmpty, tree.traits[s].className == c { bonus = topScore * 0.2 }
            if (scored[s] ? score[s] : 0) + bonus >= siblingThreshold {
                chosen.append(s)
            } else if tree.tags[s] == .p || (!tree.hasBlockChild[s] && !tree.tags[s].isInline) {
                let length = tree.text[s]
                let density = tree.linkDensity(s)
                if length > 80 && density < 0.25 {
                    chosen.append(s)
                } else if length > 0 && length <= 80 && density == 0
                            && ContentScorer.endsSentence(tree.nodes[s].textContent) {
                    chosen.append(s)
                }
            }
        }
        return chosen
    }

    static func tagBonus(_ tag: HTMLTag) -> Int {
        switch tag {
        case .div: return 5
        case .pre, .td, .blockquote: return 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: return -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: return -5
        default: return 0
        }
    }

    static func endsSentence(_ text: String) -> Bool {
        let t = text.trimmingWhitespace()
        guard let last = t.unicodeScalars.last else { return false }
        return last == "." || last == "!" || last == "?" || last == "\u{3002}" || last == "\""
            || last == "\u{201D}"
    }
}

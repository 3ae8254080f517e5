import Foundation
import HeraldFiles
import HeraldFormats
import Yams

/// One YAML file being validated: composes it with Yams (keeping line marks) and collects
/// every problem found while reading its values, so a file reports all its mistakes at once.
struct YAMLFile {
    let file: String
    private var found: [ConfigProblem] = []

    /// The problems in line order (stable, so problems on one line keep their order).
    var problems: [ConfigProblem] {
        found.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset)
        }.map(\.element)
    }

    init(file: String) {
        self.file = file
    }

    /// The text of the file at `url`; a file that cannot be read is one problem naming `name`.
    static func text(of url: URL, name: String) throws(ConfigurationError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError(problems: [ConfigProblem(file: name, line: nil, message: "cannot read: \(FileError.reason(of: error))")])
        }
    }

    /// Composes `text`; a YAML syntax error becomes a problem at its line and yields nil.
    mutating func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, message) = Self.describe(error)
            found.append(ConfigProblem(file: file, line: line, message: message))
        } catch {
            found.append(ConfigProblem(file: file, line: nil, message: "invalid YAML: \(error)"))
        }
        return nil
    }

    mutating func report(_ message: String, at node: Node?) {
        found.append(ConfigProblem(file: file, line: node?.mark?.line, message: message))
    }

    mutating func report(_ message: String, line: Int?) {
        found.append(ConfigProblem(file: file, line: line, message: message))
    }

    private static func describe(_ error: YamlError) -> (Int?, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " \(context.text)" }
            if message.contains("alias") {
                message += " (a value starting with * is read as a YAML alias: quote cron expressions, e.g. \"*/15 * * * *\")"
            }
            return (mark.line, message)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return (context.mark.line, "duplicate key \(keys)")
        case let .reader(problem, _, _, _):
            return (nil, "cannot read YAML: \(problem)")
        default:
            return (nil, "invalid YAML: \(error)")
        }
    }

    // MARK: Mappings

    /// The entries of a mapping node, after reporting keys that are not in `known` (with a
    /// suggestion when one is a near miss). Null values count as absent, so `key:` with
    /// nothing after it means "use the default".
    mutating func mapping(_ node: Node, path: String, known: [String]) -> Mapping? {
        guard let mapping = node.mapping else {
            report("\(path.isEmpty ? "the file" : path) must be a mapping of keys to values", at: node)
            return nil
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? "\(keyNode)"
            let qualified = path.isEmpty ? key : "\(path).\(key)"
            guard known.contains(key) else {
                var message = "unknown key \"\(qualified)\""
                if let near = Self.nearest(key, in: known) { message += " (did you mean \"\(near)\"?)" }
                report(message, at: keyNode)
                continue
            }
            if value.null != nil, value.scalar?.style == .plain { continue }
            values[key] = value
        }
        return Mapping(path: path, node: node, values: values)
    }

    struct Mapping {
        let path: String
        let node: Node
        let values: [String: Node]

        subscript(_ key: String) -> Node? { values[key] }
        func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }

    private static func nearest(_ key: String, in known: [String]) -> String? {
        let best = known.map { ($0, editDistance(key.lowercased(), $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(1, key.count / 3) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    // MARK: Scalars

    mutating func string(_ node: Node, _ name: String) -> String? {
        guard let scalar = node.scalar else {
            report("\(name) must be a single value, not a list or mapping", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func nonEmptyString(_ node: Node, _ name: String) -> String? {
        guard let text = string(node, name) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            report("\(name) must not be empty", at: node)
            return nil
        }
        return text
    }

    mutating func integer(_ node: Node, _ name: String, minimum: Int) -> Int? {
        guard let text = string(node, name) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")) else {
            report("\(name): \"\(text)\" is not a whole number", at: node)
            return nil
        }
        guard value >= minimum else {
            report("\(name) must be at least \(minimum), got \(value)", at: node)
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ name: String) -> Bool? {
        guard let text = string(node, name) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report("\(name): \"\(text)\" is not true or false", at: node)
            return nil
        }
    }

    mutating func duration(_ node: Node, _ name: String, allowZero: Bool = true) -> Duration? {
        guard let text = string(node, name) else { return nil }
        do {
            let value = try DurationSyntax.parse(text)
            if !allowZero && value <= .zero {
                report("\(name) must be longer than 0", at: node)
                return nil
            }
            return value
        } catch {
            report("\(name): \(error.message)", at: node)
            return nil
        }
    }

    mutating func byteSize(_ node: Node, _ name: String) -> Int? {
        guard let text = string(node, name) else { return nil }
        do {
            let value = try ByteSizeSyntax.parse(text)
            guard value > 0 else {
                report("\(name) must be larger than 0", at: node)
                return nil
            }
            return value
        } catch {
            report("\(name): \(error.message)", at: node)
            return nil
        }
    }

    /// A list of scalars; a single scalar counts as a one-element list.
    mutating func scalarList(_ node: Node, _ name: String) -> [(text: String, node: Node)] {
        if let scalar = node.scalar { return [(scalar.string, node)] }
        guard let sequence = node.sequence else {
            report("\(name) must be a list", at: node)
            return []
        }
        var items: [(String, Node)] = []
        for item in sequence {
            guard let scalar = item.scalar else {
                report("\(name): each entry must be a single value", at: item)
                continue
            }
            items.append((scalar.string, item))
        }
        return items
    }
}

import Foundation

/// One problem found in a configuration or crawl definition file, printed the way compilers
/// print diagnostics (`file:line: message`) so editors and operators can jump to it.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (or as found in the crawls directory).
    public var file: String
    /// 1-based line the problem points at; nil when it concerns the whole file (unreadable).
    public var line: Int?
    /// What is wrong, naming the key and the offending value.
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Thrown when a file has problems: carries every problem found in it, not just the first,
/// so one `herald check` shows the operator everything to fix.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

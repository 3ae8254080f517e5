import ArgumentParser
import Foundation
import HeraldExtract
import HeraldFiles
import HeraldFormats
import HeraldXML

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract article records from saved pages, without any network.",
        discussion: """
        Prints one JSON object per input, one per line, in input order. FILE may be - (stdin) \
        or gzip-compressed. A file that cannot be read or parsed gives {"source", "error"} and \
        exit status 1 once all inputs are done.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The page's URL, for resolving relative links (one FILE only).")
    var url: String?

    @Flag(name: .long, help: "Indent the JSON output.")
    var pretty = false

    @Flag(name: .long, help: ArgumentHelp(
        "Add an \"explain\" field telling how the body was chosen: the winning strategy, what the self-check found, and each candidate weighed (XPath, words, prose words, verdict)."))
    var explain = false

    @Option(name: .long, help: ArgumentHelp(
        "Read the pages to extract from a file (- for stdin): one path per line, optionally followed by a tab and the page's URL.",
        valueName: "LIST"))
    var list: String?

    @Option(name: .long, help: ArgumentHelp(
        "Read the pages as of this time (ISO 8601, e.g. 2024-02-20T07:27:00Z or 2024-02-20): relative dates such as \"3 hours ago\" or \"vor 2 Tagen\" are resolved against it, and later dates are not publication dates. Without it, relative dates are left out.",
        valueName: "TIMESTAMP"))
    var now: String?

    @Argument(help: "Saved pages (HTML, optionally gzip-compressed); - reads stdin.")
    var files: [String] = []

    func validate() throws {
        if url != nil && (files.count > 1 || list != nil) {
            throw ValidationError("--url sets one page's address; give it with a single FILE (in a --list, put each URL after a tab)")
        }
        if files.isEmpty && list == nil {
            throw ValidationError("give at least one FILE, or --list")
        }
        if list == "-" && files.contains("-") {
            throw ValidationError("stdin cannot be both the --list and a page")
        }
        if let now, DateGrammar.instant(now) == nil {
            throw ValidationError("--now takes an ISO 8601 time such as 2024-02-20T07:27:00Z (or a date, 2024-02-20), not \(now)")
        }
    }

    /// The pages in order: FILE arguments first, then the --list entries.
    private func inputs() throws -> [(file: String, url: String?)] {
        var out = files.map { (file: $0, url: url) }
        guard let list else { return out }
        let data: Data
        do {
            data = try contents(of: list)
        } catch {
            throw ValidationError("--list: \(error.message)")
        }
        for line in LineReader.lines(in: data).map({ String(decoding: $0, as: UTF8.self) }) {
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let file = String(fields[0])
            guard !file.isEmpty else { continue }
            let pageURL = fields.count > 1 && !fields[1].isEmpty ? String(fields[1]) : nil
            out.append((file, pageURL))
        }
        return out
    }

    func run() throws {
        let extractor = ArticleExtractor(now: now.flatMap(DateGrammar.instant))
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        var failed = false
        let out = FileHandle.standardOutput
        for (file, pageURL) in try inputs() {
            var line: Data
            do {
                let bytes = try readInput(file)
                if explain {
                    let (record, explanation) = try extractor.explain(bytes: bytes, url: pageURL)
                    line = try encoder.encode(SourcedRecord(source: file, record: record, explanation: explanation))
                } else {
                    let record = try extractor.extract(bytes: bytes, url: pageURL)
                    line = try encoder.encode(SourcedRecord(source: file, record: record))
                }
            } catch {
                failed = true
                line = (try? encoder.encode(SourcedError(source: file, error: describe(error)))) ?? Data()
            }
            line.append(0x0a)
            out.write(line)
        }
        if failed { throw ExitCode(1) }
    }

    /// The bytes of a file, or of stdin for `-`. Read through a plain file handle rather than
    /// `Data(contentsOf:)`, which refuses pipes (`<(curl ...)`, `/dev/stdin`) as "no permission".
    private func contents(of path: String) throws(InputError) -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            return try handle.readToEnd() ?? Data()
        } catch {
            throw InputError("cannot read \(path): \(FileError.reason(of: error))")
        }
    }

    private func readInput(_ file: String) throws -> [UInt8] {
        let bytes = [UInt8](try contents(of: file))
        return Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes) : bytes
    }

    private func describe(_ error: any Error) -> String {
        if let e = error as? InputError { return e.message }
        return String(describing: error)
    }
}

private struct InputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// `{"source": ..., <record fields>, "explain": ...}` in one flat object.
private struct SourcedRecord: Encodable {
    let source: String
    let record: ArticleRecord
    var explanation: BodyExplanation? = nil
    enum K: String, CodingKey { case source, explain }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try c.encode(source, forKey: .source)
        if let explanation { try c.encode(explanation, forKey: .explain) }
        try record.encode(to: encoder)
    }
}

private struct SourcedError: Encodable {
    let source: String
    let error: String
}

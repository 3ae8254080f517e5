import ArgumentParser
import Foundation
import HeraldConfig

/// `herald check`: validates the configuration and the crawl definitions, printing every
/// problem as `file:line: message` so an operator can fix them all in one pass.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate configuration and crawl definitions.",
        discussion: """
            Reads the configuration file and every *.yaml in crawls_dir (or only the crawls \
            named), and prints each problem as file:line: message on stderr. Exit status: 0 all \
            valid, 2 problems found.
            """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var paths: PathOptions

    @Argument(help: "Crawl names (files in crawls_dir) or paths to check instead of the whole directory.")
    var crawls: [String] = []

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let location = ConfigLocation.find(flag: global.config, currentDirectory: cwd)
        var problems: [ConfigProblem] = []
        var config: HeraldConfiguration
        do {
            config = try HeraldConfiguration.load(location)
        } catch {
            problems += error.problems.map { Self.relative($0, to: cwd, configGiven: global.config, location: location) }
            // Go on with the defaults so the crawl definitions get checked too.
            config = HeraldConfiguration.defaults(baseDirectory: location.url.deletingLastPathComponent())
        }
        config = config.overriding(paths.overrides, currentDirectory: cwd)

        let catalog: CrawlDirectory
        if crawls.isEmpty {
            catalog = CrawlDirectory.load(config.crawlsDirectory)
        } else {
            let files = crawls.map { CrawlDirectory.locate($0, crawlsDirectory: config.crawlsDirectory, currentDirectory: cwd) }
            catalog = CrawlDirectory.load(files: files, directory: config.crawlsDirectory)
        }
        problems += catalog.problems.map { Self.relative($0, to: cwd, configGiven: nil, location: nil) }

        if !problems.isEmpty {
            var err = StandardError()
            for problem in problems { print(problem, to: &err) }
            print("herald check: \(problems.count) problem\(problems.count == 1 ? "" : "s") found", to: &err)
            throw ExitCode(2)
        }
        let configText = FileManager.default.fileExists(atPath: location.url.path)
            ? location.given : "built-in defaults (no \(location.given))"
        print("config OK: \(configText)")
        let names = catalog.definitions.map { "\($0.name) (\($0.schedule))" }
        print("crawls OK: \(catalog.definitions.count) in \(Self.display(catalog.directory, cwd: cwd))"
              + (names.isEmpty ? "" : ": " + names.joined(separator: ", ")))
    }

    /// Problems name files relative to the working directory when they are below it, so the
    /// output reads `Crawls/lbci.yaml:4: ...` and editors can jump to it.
    private static func relative(_ problem: ConfigProblem, to cwd: URL, configGiven: String?,
                                 location: ConfigLocation?) -> ConfigProblem {
        var copy = problem
        if let configGiven, location?.source == .flag {
            copy.file = configGiven
        } else {
            copy.file = display(URL(fileURLWithPath: problem.file), cwd: cwd)
        }
        return copy
    }

    static func display(_ url: URL, cwd: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = cwd.standardizedFileURL.path
        // From `/` every path is "below": name it in full rather than as `etc/herald/...`.
        guard base != "/" else { return path }
        let prefix = base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

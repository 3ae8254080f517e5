import ArgumentParser
import CProcessArguments
import Foundation

@main
struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "A news crawl daemon: fetches news sites, extracts articles, spools new ones as JSON.",
        subcommands: [
            ExtractCommand.self, CrawlCommand.self, RunCommand.self, LogsCommand.self,
            StatusCommand.self, CheckCommand.self,
        ]
    )

    /// SPEC's exit statuses: 0 success, 1 the work failed, 2 usage or config error. The argument
    /// parser's own usage errors would exit 64 (EX_USAGE); they are mapped to 2 here.
    static func main() async {
        do {
            var command = try parseAsRoot(Self.arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

extension Herald {
    /// The command line's arguments after the program name, from the argv the C runtime gave
    /// the process: Swift's `CommandLine` reads /proc/self/cmdline on Linux, and without /proc (a
    /// chroot, some containers) it is empty, which made herald print its help and exit 0.
    static var arguments: [String] {
        let argv = herald_process_argv()
        let count = Int(herald_process_argc())
        guard let argv, count > 0 else { return Array(CommandLine.arguments.dropFirst()) }
        return (1..<count).compactMap { argv[$0].map { String(cString: $0) } }
    }
}

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $HERALD_CONFIG, else ./Config/herald.yaml, else /etc/herald/herald.yaml).")
    var config: String?
}

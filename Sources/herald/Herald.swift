import ArgumentParser

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
}

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $HERALD_CONFIG, else ./Config/herald.yaml, else /etc/herald/herald.yaml).")
    var config: String?
}

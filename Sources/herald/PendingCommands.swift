import ArgumentParser

// Subcommands whose machinery lands in later issues (crawl engine, daemon). Each says so and
// exits 1 rather than pretending to work.

private func notYet(_ what: String) throws -> Never {
    var err = StandardError()
    print("herald \(what): not implemented yet (see README, Status)", to: &err)
    throw ExitCode(1)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleStderr.write(string)
    }
}

struct CrawlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crawl", abstract: "Run one crawl in the foreground.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Crawl name (a file in crawls_dir) or path to a crawl definition.") var crawl: String
    @Option var maxPages: Int?
    @Option var spool: String?
    @Option var state: String?
    @Option var logDir: String?
    func run() throws { try notYet("crawl") }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon.")
    @OptionGroup var global: GlobalOptions
    func run() throws { try notYet("run") }
}

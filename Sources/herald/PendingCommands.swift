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

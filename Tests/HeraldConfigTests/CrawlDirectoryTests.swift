import Foundation
import HeraldConfig
import HeraldTestSupport
import Testing

@Suite("Crawl directories")
struct CrawlDirectoryTests {
    @Test("good files load, broken files are reported without hiding the good ones")
    func mixed() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("b.yaml", "start: [https://b.example/]\n")
        fixture.write("a.yml", "name: alpha\nfeeds: [https://a.example/rss]\n")
        fixture.write("broken.yaml", "start: [https://c.example/]\nfollow: {allow: ['(']}\nlimits: {max_pages: x}\n")
        fixture.write("notes.txt", "not a crawl")
        fixture.write(".hidden.yaml", "garbage: [")
        let loaded = CrawlDirectory.load(fixture.directory)
        #expect(loaded.definitions.map(\.name) == ["alpha", "b"])
        #expect(loaded.brokenFiles.map(\.lastPathComponent) == ["broken.yaml"])
        #expect(loaded.problems.map(\.line) == [2, 3])
        #expect(loaded.problems.allSatisfy { $0.file.hasSuffix("/broken.yaml") })
    }

    @Test("on reload, a file that broke keeps its previous definition; a deleted file drops it")
    func reloadKeepsPrevious() throws {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("a.yaml", "start: [https://a.example/]\nschedule: every 10m\n")
        fixture.write("b.yaml", "start: [https://b.example/]\n")
        fixture.write("c.yaml", "start: [https://c.example/]\n")
        let before = CrawlDirectory.load(fixture.directory).definitions
        #expect(before.map(\.name) == ["a", "b", "c"])

        fixture.write("a.yaml", "start: [https://a.example/]\nschedule: every 10x\n")
        fixture.write("b.yaml", "start: [https://b.example/, https://b2.example/]\n")
        try FileManager.default.removeItem(at: fixture.directory.appendingPathComponent("c.yaml"))
        let reloaded = CrawlDirectory.load(fixture.directory)
        #expect(reloaded.problems.map(\.line) == [2])
        let active = reloaded.definitions(keeping: before)
        #expect(active.map(\.name) == ["a", "b"])
        #expect(active[0].schedule == .every(.seconds(600)))  // the old, working definition
        #expect(active[1].start.count == 2)                  // the new one
    }

    @Test("two files claiming one crawl name is an error")
    func duplicateNames() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("one.yaml", "name: news\nstart: [https://a.example/]\n")
        fixture.write("two.yaml", "name: news\nstart: [https://b.example/]\n")
        let loaded = CrawlDirectory.load(fixture.directory)
        #expect(loaded.definitions.count == 1)
        #expect(loaded.problems.count == 1)
        #expect(loaded.problems.first?.message.contains("already used by") == true)
    }

    @Test("a crawls directory reached through a symlink is listed like any other")
    func symlinkedDirectory() throws {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("Crawls/a.yaml", "start: [https://a.example/]\n")
        try FileManager.default.createDirectory(at: fixture.directory.appendingPathComponent("Config"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fixture.directory.appendingPathComponent("Config/crawls").path,
                                                   withDestinationPath: "../Crawls")
        let loaded = CrawlDirectory.load(fixture.directory.appendingPathComponent("Config/crawls"))
        #expect(loaded.definitions.map(\.name) == ["a"])
        #expect(loaded.problems.isEmpty)
    }

    @Test("a missing directory is one problem")
    func missingDirectory() {
        let loaded = CrawlDirectory.load(URL(fileURLWithPath: "/nonexistent/crawls"))
        #expect(loaded.problems.map(\.description) == ["/nonexistent/crawls: crawls directory does not exist"])
    }

    @Test("crawl arguments: names look in the crawls directory, paths are paths")
    func locate() {
        let crawls = URL(fileURLWithPath: "/etc/herald/crawls")
        let cwd = URL(fileURLWithPath: "/home/op")
        #expect(CrawlDirectory.locate("lbci", crawlsDirectory: crawls, currentDirectory: cwd).path == "/etc/herald/crawls/lbci.yaml")
        #expect(CrawlDirectory.locate("Crawls/lbci.yaml", crawlsDirectory: crawls, currentDirectory: cwd).path == "/home/op/Crawls/lbci.yaml")
        #expect(CrawlDirectory.locate("x.yaml", crawlsDirectory: crawls, currentDirectory: cwd).path == "/home/op/x.yaml")
        #expect(CrawlDirectory.locate("/tmp/y.yml", crawlsDirectory: crawls, currentDirectory: cwd).path == "/tmp/y.yml")
    }

    @Test("every crawl definition shipped in Crawls/ is valid")
    func shippedCrawls() throws {
        let directory = TestPaths.packageRoot.appendingPathComponent("Crawls")
        let files = (try? CrawlDirectory.definitionFiles(in: directory)) ?? []
        guard !files.isEmpty else { return }  // no crawl definitions committed yet
        let loaded = CrawlDirectory.load(directory)
        #expect(loaded.problems.map(\.description) == [])
        #expect(loaded.definitions.count == files.count)
    }
}

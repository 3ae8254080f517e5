import Foundation
import HeraldFiles

/// The crawl definitions in a crawls directory (`*.yaml`, `*.yml`; hidden files skipped),
/// loaded together so that one broken file is reported without hiding the good ones: the
/// daemon schedules `definitions` and logs `problems` (on SIGHUP it keeps the old definition
/// of a crawl whose file broke).
public struct CrawlDirectory: Sendable {
    public var directory: URL
    /// The crawls that loaded cleanly, sorted by name.
    public var definitions: [CrawlDefinition]
    /// Every problem in every file, in file order.
    public var problems: [ConfigProblem]
    /// Files whose definitions failed to load.
    public var brokenFiles: [URL]

    /// Loads every definition in `directory`. A missing or unreadable directory is one problem.
    public static func load(_ directory: URL) -> CrawlDirectory {
        var result = CrawlDirectory(directory: directory, definitions: [], problems: [], brokenFiles: [])
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            result.problems.append(ConfigProblem(file: directory.path, line: nil, message: "crawls directory does not exist"))
            return result
        }
        let files: [URL]
        do {
            files = try definitionFiles(in: directory)
        } catch {
            result.problems.append(ConfigProblem(file: directory.path, line: nil,
                                                 message: "cannot read crawls directory: \(FileError.reason(of: error))"))
            return result
        }
        result.add(files: files)
        return result
    }

    /// Loads the given definition files (as `herald check FILE...` does).
    public static func load(files: [URL], directory: URL) -> CrawlDirectory {
        var result = CrawlDirectory(directory: directory, definitions: [], problems: [], brokenFiles: [])
        result.add(files: files)
        return result
    }

    /// What the daemon schedules after a reload (SIGHUP): the definitions that loaded, plus,
    /// for each file that broke, the definition `previous` had from that file, so a typo in
    /// one file never stops a crawl that was running fine. Deleted files drop their crawls.
    public func definitions(keeping previous: [CrawlDefinition]) -> [CrawlDefinition] {
        let broken = Set(brokenFiles.map(\.standardizedFileURL))
        let names = Set(definitions.map(\.name))
        let kept = previous.filter { old in
            guard let file = old.file else { return false }
            return broken.contains(file.standardizedFileURL) && !names.contains(old.name)
        }
        return (definitions + kept).sorted { $0.name < $1.name }
    }

    /// The `*.yaml`/`*.yml` files in `directory`, sorted by name.
    public static func definitionFiles(in directory: URL) throws -> [URL] {
        // By path, not URL: on Linux the URL variant lists nothing when the directory is a
        // symlink (as Config/crawls is in a checkout).
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { name in
                let ext = (name as NSString).pathExtension.lowercased()
                return (ext == "yaml" || ext == "yml") && !name.hasPrefix(".")
            }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// The definition file a `herald crawl NAME|PATH` argument means: a value with a `/` or a
    /// `.yaml`/`.yml` extension is a path (relative to `currentDirectory`); anything else is
    /// the name of a file in `crawlsDirectory`.
    public static func locate(_ argument: String, crawlsDirectory: URL,
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL {
        let lower = argument.lowercased()
        if argument.contains("/") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return HeraldConfiguration.resolve(argument, against: currentDirectory)
        }
        let yml = crawlsDirectory.appendingPathComponent("\(argument).yml")
        if !FileManager.default.fileExists(atPath: crawlsDirectory.appendingPathComponent("\(argument).yaml").path),
           FileManager.default.fileExists(atPath: yml.path) {
            return yml
        }
        return crawlsDirectory.appendingPathComponent("\(argument).yaml")
    }

    private mutating func add(files: [URL]) {
        var byName: [String: URL] = [:]
        for file in files {
            do throws(ConfigurationError) {
                let definition = try CrawlDefinition.load(from: file)
                if let other = byName[definition.name] {
                    problems.append(ConfigProblem(file: file.path, line: 1,
                                                  message: "crawl name \"\(definition.name)\" is already used by \(other.path)"))
                    brokenFiles.append(file)
                    continue
                }
                byName[definition.name] = file
                definitions.append(definition)
            } catch {
                problems += error.problems
                brokenFiles.append(file)
            }
        }
        definitions.sort { $0.name < $1.name }
    }
}

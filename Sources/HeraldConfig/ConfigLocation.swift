import Foundation

/// Which configuration file a command uses: `--config PATH`, else `$HERALD_CONFIG`, else
/// `./Config/herald.yaml` when it exists (running from a checkout), else `/etc/herald/herald.yaml`.
public struct ConfigLocation: Sendable, Equatable {
    /// Which step of the lookup chose the file.
    public enum Source: Sendable, Equatable {
        case flag, environment, workingDirectory, system
    }

    /// Absolute path of the file.
    public var url: URL
    /// Where the choice came from.
    public var source: Source
    /// The file as the operator named it (`--config`, `$HERALD_CONFIG`) or as the lookup does
    /// (`Config/herald.yaml`, `/etc/herald/herald.yaml`), for messages.
    public var given: String

    /// True when the operator named the file (flag or environment): then it must exist.
    public var isExplicit: Bool { source == .flag || source == .environment }

    /// The same file chosen the same way (however it was spelled).
    public static func == (a: ConfigLocation, b: ConfigLocation) -> Bool {
        a.url == b.url && a.source == b.source
    }

    public init(url: URL, source: Source, given: String? = nil) {
        self.url = url
        self.source = source
        self.given = given ?? url.path
    }

    public static let systemPath = "/etc/herald/herald.yaml"

    /// Applies the lookup order. `flag` is the `--config` value; relative paths resolve
    /// against `currentDirectory`.
    public static func find(
        flag: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> ConfigLocation {
        if let flag, !flag.isEmpty {
            return ConfigLocation(url: HeraldConfiguration.resolve(flag, against: currentDirectory), source: .flag,
                                  given: flag)
        }
        if let env = environment["HERALD_CONFIG"], !env.isEmpty {
            return ConfigLocation(url: HeraldConfiguration.resolve(env, against: currentDirectory), source: .environment,
                                  given: env)
        }
        let local = currentDirectory.appendingPathComponent("Config/herald.yaml").standardizedFileURL
        if fileExists(local.path) {
            return ConfigLocation(url: local, source: .workingDirectory, given: "Config/herald.yaml")
        }
        return ConfigLocation(url: URL(fileURLWithPath: systemPath), source: .system)
    }
}

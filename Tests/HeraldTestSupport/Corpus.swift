import Foundation

/// Where the test suite finds things on disk: the package root, the shared evaluation corpus
/// (`../shared/corpus`, read-only) and the built `herald` binary.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared/corpus` beside the package root (CI lays shared/ there too).
    public static let corpus: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus")

    /// The debug `herald` executable that `swift build --build-tests` produced.
    public static let heraldBinary: URL = {
        let env = ProcessInfo.processInfo.environment
        if let path = env["HERALD_BIN"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/herald")
    }()

    /// A fresh temporary directory for one test; removed by the caller or left for inspection.
    public static func temporaryDirectory(_ label: String = "herald-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

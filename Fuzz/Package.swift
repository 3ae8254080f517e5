// swift-tools-version: 6.0
// herald's fuzz targets: libFuzzer entry points over every parser of bytes strangers write.
// A package of its own so the normal build never sees them; `make fuzz` builds it with
// `-sanitize=fuzzer,address` (see the Makefile) and runs each target on a seed corpus.
import PackageDescription

func target(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzDriver", .product(name: "HeraldModules", package: "herald")],
                      path: "Sources/\(name)")
}

let package = Package(
    name: "herald-fuzz",
    dependencies: [.package(name: "herald", path: "..")],
    targets: ["fuzz-extract", "fuzz-feed", "fuzz-sitemap", "fuzz-robots", "fuzz-url", "fuzz-config",
              "fuzz-logline", "fuzz-control"].map(target) + [.target(name: "FuzzDriver")]
)

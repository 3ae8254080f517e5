// swift-tools-version: 6.0
// herald: a news crawl daemon for Linux only (Glibc, /proc, epoll, systemd), so no platform is
// declared: SwiftPM lists no Linux version, and the macOS minimum it would otherwise need is one
// the code never builds for. One target per pipeline stage; C libraries stay behind the thin
// wrapper targets (HeraldXML for libxml2, HeraldFetch for libcurl).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "herald",
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .executable(name: "herald-bench", targets: ["herald-bench"]),
        // For the fuzz targets (Fuzz/), which build these modules with sanitizers on their own.
        .library(name: "HeraldModules", targets: [
            "HeraldXML", "HeraldExtract", "HeraldDiscover", "HeraldConfig", "HeraldCrawlLog", "HeraldDaemon",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries (module maps found through pkg-config).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // argc/argv captured before main: the command line must not depend on /proc.
        .target(name: "CProcessArguments"),

        // The bottom of the graph. Text forms shared by every stage: the one date grammar,
        // timestamps, durations, HTML entities (through libxml2's table).
        .target(name: "HeraldFormats", dependencies: ["CLibXML2"], swiftSettings: strict),
        // Files as the crash-safe parts use them: flock locks, directory fsync, line reading.
        .target(name: "HeraldFiles", swiftSettings: strict),

        // libxml2 wrapper: HTML/XML documents, nodes, XPath; and the byte decoding pages need
        // before parsing (gzip through zlib, legacy charsets through iconv).
        .target(name: "HeraldXML", dependencies: ["CLibXML2", "CZlib"], swiftSettings: strict),
        // Page -> article record (metadata, body, content hash).
        .target(name: "HeraldExtract", dependencies: [
            "HeraldXML", "HeraldFormats", .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // libcurl multi wrapper: async fetching with safety limits.
        .target(name: "HeraldFetch", dependencies: ["CCurl"], swiftSettings: strict),
        // URL normalization, links, feeds, sitemaps, robots.txt.
        .target(name: "HeraldDiscover", dependencies: ["HeraldXML", "HeraldFormats"], swiftSettings: strict),
        // Daemon configuration and crawl definitions (YAML), schedules, durations, sizes.
        .target(name: "HeraldConfig", dependencies: [
            "HeraldXML", "HeraldDiscover", "HeraldExtract", "HeraldFormats", "HeraldFiles", "HeraldCrawlLog",
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strict),
        // What herald remembers between runs (SQLite through GRDB), and dedupe.
        .target(name: "HeraldState", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        // Maildir-style spool writer.
        .target(name: "HeraldSpool", dependencies: ["HeraldState", "HeraldExtract", "HeraldFiles"], swiftSettings: strict),
        // Per-run JSON-lines event logs and their index.
        .target(name: "HeraldCrawlLog", dependencies: [
            "HeraldFormats", "HeraldFiles", .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        // The crawl engine: frontier, politeness, fetch -> extract -> dedupe -> spool.
        .target(name: "HeraldCrawl", dependencies: [
            "HeraldFetch", "HeraldDiscover", "HeraldExtract", "HeraldXML", "HeraldState", "HeraldSpool",
            "HeraldConfig", "HeraldCrawlLog", "HeraldFormats", "HeraldFiles",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Prometheus metrics: what the crawl log and the engine report, turned into counters,
        // gauges and histograms (swift-metrics over swift-prometheus), served on /metrics by a
        // small NIO HTTP/1 endpoint.
        .target(name: "HeraldMetrics", dependencies: [
            "HeraldCrawl", "HeraldConfig", "HeraldCrawlLog", "HeraldState",
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        // The daemon: scheduler, control socket, sd_notify, signals.
        .target(name: "HeraldDaemon", dependencies: [
            "HeraldCrawl", "HeraldConfig", "HeraldCrawlLog", "HeraldFormats", "HeraldFiles", "HeraldMetrics",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .executableTarget(name: "herald", dependencies: [
            "CProcessArguments", "HeraldExtract", "HeraldCrawl", "HeraldDaemon", "HeraldConfig", "HeraldCrawlLog",
            "HeraldMetrics",
            "HeraldXML", "HeraldFormats", "HeraldFiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "herald-bench", dependencies: [
            "HeraldXML", "HeraldExtract", "HeraldState", "HeraldSpool", "HeraldDiscover",
        ], swiftSettings: strict),

        // Shared by test targets: corpus access, the local test site, running the real binary.
        .target(name: "HeraldTestSupport", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Tests/HeraldTestSupport",
                resources: [.copy("Resources")], swiftSettings: strict),
        .testTarget(name: "HeraldFormatsTests", dependencies: ["HeraldFormats"]),
        .testTarget(name: "HeraldFilesTests", dependencies: ["HeraldFiles"]),
        .testTarget(name: "HeraldXMLTests", dependencies: ["HeraldXML"]),
        .testTarget(name: "HeraldExtractTests", dependencies: ["HeraldExtract", "HeraldXML", "HeraldTestSupport"]),
        .testTarget(name: "HeraldFetchTests", dependencies: ["HeraldFetch", "HeraldTestSupport"]),
        .testTarget(name: "HeraldDiscoverTests", dependencies: [
            "HeraldDiscover", "HeraldConfig", "HeraldXML", "HeraldFormats", "HeraldTestSupport",
        ]),
        .testTarget(name: "HeraldConfigTests", dependencies: [
            "HeraldConfig", "HeraldCrawlLog", "HeraldFormats", "HeraldTestSupport",
        ]),
        .testTarget(name: "HeraldStateTests", dependencies: [
            "HeraldState", .product(name: "GRDB", package: "GRDB.swift"), "HeraldTestSupport",
        ]),
        .testTarget(name: "HeraldSpoolTests", dependencies: [
            "HeraldSpool", "HeraldState", "HeraldExtract", "HeraldTestSupport",
        ]),
        .testTarget(name: "HeraldCrawlTests", dependencies: [
            "HeraldCrawl", "HeraldConfig", "HeraldCrawlLog", "HeraldState", "HeraldTestSupport",
        ]),
        .testTarget(name: "HeraldDaemonTests", dependencies: [
            "HeraldDaemon", "HeraldConfig", "HeraldCrawlLog", "HeraldState", .product(name: "Logging", package: "swift-log"),
            "HeraldTestSupport",
        ]),
        .testTarget(name: "HeraldCrawlLogTests", dependencies: ["HeraldCrawlLog", "HeraldTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "HeraldCLITests", dependencies: ["HeraldTestSupport", "HeraldXML", "HeraldCrawlLog"]),
    ]
)

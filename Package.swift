// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Kilde",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kilde", targets: ["KildeCLI"]),
        .library(name: "KildeJSONStat", targets: ["KildeJSONStat"]),
        .library(name: "KildeCore", targets: ["KildeCore"]),
        // For the benchmarks package (Benchmarks/), which drives the stores directly.
        .library(name: "KildeCatalog", targets: ["KildeCatalog"]),
        .library(name: "KildeStore", targets: ["KildeStore"]),
        // For the BRASK parsing benchmark: the page parser, the simulator that serves the page, the HTTP client.
        .library(name: "KildeSources", targets: ["KildeSources"]),
        .library(name: "KildeSimulator", targets: ["KildeSimulator"]),
        .library(name: "KildeUpstream", targets: ["KildeUpstream"]),
        // For the fuzz package (Fuzz/): the request parsers of the read API and the admin route.
        .library(name: "KildeServer", targets: ["KildeServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Tests only: property-based tests of the pure core.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Pure: JSON-stat 1.x/2.0 decoding from bytes. No Foundation I/O, no NIO.
        .target(name: "KildeJSONStat"),
        // Pure: registry, slices, facts, change gates, runs. No I/O.
        .target(name: "KildeCore"),
        // The catalogue as versioned CSV data, shipped as a resource.
        // and the versioned seeds the marts are built from (seeds/kommune_dim.csv).
        .target(name: "KildeCatalog", dependencies: [
            "KildeCore",
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("catalog"), .copy("seeds")]),
        // Upstream HTTP: retries, rate limits, PxWeb client.
        .target(name: "KildeUpstream", dependencies: [
            "KildeCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // libxml2 from the system (Debian: libxml2-dev), through a shim header that keeps a clean build working
        // beside Foundation (PLATFORM.md, "HTML"). Only KildeHTML imports it.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // HTML documents through libxml2's HTML parser: elements by id, tables as text, form controls.
        .target(name: "KildeHTML", dependencies: ["CLibXML2"]),
        // Source adapters: one folder per source (request building, transform, slice plan).
        .target(name: "KildeSources", dependencies: ["KildeCore", "KildeJSONStat", "KildeUpstream", "KildeHTML"]),
        // Stores behind one protocol: embedded SQLite and PostgreSQL.
        .target(name: "KildeStore", dependencies: [
            "KildeCore",
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The ingest loop: fetch → land raw → translate → gate → write → mark state.
        .target(name: "KildeIngest", dependencies: [
            "KildeCore", "KildeSources", "KildeStore", "KildeUpstream",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Orchestration: the work queue's workers, the scheduler (cron schedules, release sensors).
        .target(name: "KildeOrchestration", dependencies: [
            "KildeCore", "KildeSources", "KildeStore", "KildeIngest", "KildeUpstream",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The upstream simulator served by `kilde sim` and used by the tests.
        .target(name: "KildeSimulator", dependencies: [
            "KildeCore", "KildeCatalog", "KildeJSONStat", "KildeHTML",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], resources: [.copy("Recordings")]),
        // Serving: the /v1 read API, admin ingest, OpenAPI, metrics and the web explorer (Hummingbird).
        .target(name: "KildeServer", dependencies: [
            "KildeCore", "KildeCatalog", "KildeStore", "KildeIngest", "KildeOrchestration", "KildeUpstream", "KildeHTML",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], resources: [.copy("Resources")]),
        // The process side of the Dagster Pipes protocol (`kilde ingest --pipes`): context, message channel, messages.
        .target(name: "KildePipes", dependencies: [
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .executableTarget(name: "KildeCLI", dependencies: [
            "KildeCore", "KildeCatalog", "KildeJSONStat", "KildeUpstream", "KildeSources", "KildeStore", "KildeIngest", "KildeOrchestration", "KildeSimulator", "KildeServer", "KildePipes",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // What several test targets share (where the shared fixtures are).
        .target(name: "KildeTestSupport", path: "Tests/KildeTestSupport"),
        .testTarget(name: "KildeJSONStatTests", dependencies: ["KildeJSONStat", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "KildeHTMLTests", dependencies: ["KildeHTML"]),
        .testTarget(name: "KildePipesTests", dependencies: [
            "KildePipes",
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "KildeCoreTests", dependencies: ["KildeCore", "KildeCatalog", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "KildeSourcesTests", dependencies: ["KildeCore", "KildeCatalog", "KildeJSONStat", "KildeUpstream", "KildeSources", "KildeHTML", "KildeTestSupport",
                                                      .product(name: "PropertyBased", package: "swift-property-based")],
                    // Pages the simulator rendered, read by the BRASK tests from their path.
                    exclude: ["Pages"]),
        .testTarget(name: "KildeIntegrationTests", dependencies: [
            "KildeCore", "KildeCatalog", "KildeUpstream", "KildeSources", "KildeStore", "KildeIngest", "KildeOrchestration", "KildeSimulator", "KildeServer", "KildeTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
    ]
)

// swift-tools-version:6.0
// Benchmarks for Kilde, kept out of the main package graph.
// Build: swift build -c release --scratch-path .build-bench  (see run-jsonstat-bench.sh, ingest-bench.sh, brask-parse.sh)
import PackageDescription

let package = Package(
    name: "KildeBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Kilde", path: ".."),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .executableTarget(
            name: "jsonstat-bench",
            dependencies: [.product(name: "KildeJSONStat", package: "Kilde")],
            path: "Sources/jsonstat-bench"
        ),
        // BRASK result page → cells: Kilde's libxml2 parser against pandas.read_html (see brask-parse.sh).
        .executableTarget(
            name: "brask-bench",
            dependencies: [
                .product(name: "KildeCore", package: "Kilde"),
                .product(name: "KildeCatalog", package: "Kilde"),
                .product(name: "KildeSources", package: "Kilde"),
                .product(name: "KildeSimulator", package: "Kilde"),
                .product(name: "KildeUpstream", package: "Kilde"),
            ],
            path: "Sources/brask-bench"
        ),
        // Kilde's PostgreSQL write path against a plain COPY of the same rows (see ingest-bench.sh).
        .executableTarget(
            name: "ingest-bench",
            dependencies: [
                .product(name: "KildeCore", package: "Kilde"),
                .product(name: "KildeCatalog", package: "Kilde"),
                .product(name: "KildeStore", package: "Kilde"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/ingest-bench"
        ),
    ]
)

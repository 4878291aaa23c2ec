// swift-tools-version:6.0
// Benchmarks for Kilde, kept out of the main package graph.
// Build: swift build -c release --scratch-path .build-bench  (see run-jsonstat-bench.sh, ingest-bench.sh)
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

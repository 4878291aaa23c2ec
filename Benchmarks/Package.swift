// swift-tools-version:6.0
// Benchmarks for Kilde, kept out of the main package graph.
// Build: swift build -c release --scratch-path .build-bench  (see run-jsonstat-bench.sh)
import PackageDescription

let package = Package(
    name: "KildeBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Kilde", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "jsonstat-bench",
            dependencies: [.product(name: "KildeJSONStat", package: "Kilde")],
            path: "Sources/jsonstat-bench"
        ),
    ]
)

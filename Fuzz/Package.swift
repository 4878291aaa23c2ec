// swift-tools-version:6.0
// libFuzzer targets for Kilde's parsers of untrusted bytes, kept out of the main package graph: they are built with
// -sanitize=fuzzer,address, which instruments every Swift module. Build and run with Fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "KildeFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Kilde", path: ".."),
        // The same packages Kilde resolves (the request target builds a Hummingbird request by hand).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // libFuzzer's driver (declared in C, defined by the -sanitize=fuzzer runtime) and its start from Swift.
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Sources/FuzzSupport"),
        // The JSON-stat decoder and the cell walk; seeds in corpus/jsonstat (the shared fixtures).
        .executableTarget(
            name: "jsonstat-fuzz",
            dependencies: ["FuzzSupport", .product(name: "KildeJSONStat", package: "Kilde")],
            path: "Sources/jsonstat-fuzz"
        ),
        // The read API's query parameters and the admin body, validated against the shipped catalogue; seeds in
        // corpus/request.
        .executableTarget(
            name: "request-fuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "KildeServer", package: "Kilde"),
                .product(name: "KildeCatalog", package: "Kilde"),
                .product(name: "KildeCore", package: "Kilde"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Sources/request-fuzz"
        ),
        // BRIS answers through the adapter's transform; seeds in corpus/bris-answer (the simulator's answers).
        .executableTarget(
            name: "bris-answer-fuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "KildeSources", package: "Kilde"),
                .product(name: "KildeCatalog", package: "Kilde"),
                .product(name: "KildeCore", package: "Kilde"),
                .product(name: "KildeUpstream", package: "Kilde"),
            ],
            path: "Sources/bris-answer-fuzz"
        ),
        // The BRASK page parsers (the form and the result table), libxml2 underneath; seeds in corpus/brask-page.
        .executableTarget(
            name: "brask-page-fuzz",
            dependencies: ["FuzzSupport", .product(name: "KildeSources", package: "Kilde")],
            path: "Sources/brask-page-fuzz"
        ),
    ]
)

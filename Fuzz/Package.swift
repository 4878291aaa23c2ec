// swift-tools-version:6.0
// libFuzzer targets for Kilde's parsers of upstream bytes, kept out of the main package graph: they are built with
// -sanitize=fuzzer,address, which instruments every module. Build and run with Fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "KildeFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Kilde", path: ".."),
    ],
    targets: [
        // The BRASK page parsers (the form and the result table), libxml2 underneath; seeds in corpus/brask-page.
        .executableTarget(
            name: "brask-page-fuzz",
            dependencies: [.product(name: "KildeSources", package: "Kilde")],
            path: "Sources/brask-page-fuzz"
        ),
    ]
)

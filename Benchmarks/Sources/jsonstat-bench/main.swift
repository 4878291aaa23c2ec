// jsonstat-bench: times and measures decoders of JSON-stat documents.
//
//   jsonstat-bench time   kilde|foundation FILE [ITERATIONS]  -> one JSON line with per-iteration times
//   jsonstat-bench memory kilde|foundation|read FILE          -> one JSON line with peak RSS (run in a fresh process)
//   jsonstat-bench memory-cold kilde|foundation|read FILE     -> the same without warming the Swift runtime first
//   jsonstat-bench summary FILE                                -> what Kilde decoded (for checking)
//
// Times cover decoding bytes already in memory, not reading the file.

#if canImport(Glibc)
import Glibc
#endif
import KildeJSONStat

let arguments = CommandLine.arguments
func usage() -> Never {
    print("usage: jsonstat-bench time|memory|memory-cold kilde|foundation|read FILE [ITERATIONS] | summary FILE")
    exit(2)
}

guard arguments.count >= 3 else { usage() }
let command = arguments[1]

switch command {
case "summary":
    let bytes = try FileBytes.read(arguments[2])
    do {
        let document = try JSONStat.decode(bytes)
        print("kind: \(document.kind), datasets: \(document.datasets.count)")
        for dataset in document.datasets {
            print("  \(dataset.name ?? "-") sizes \(dataset.sizes) cells \(dataset.cellCount) present \(dataset.presentCount) metadataOnly \(dataset.isMetadataOnly)")
        }
    } catch {
        print("error: \(error)")
        exit(1)
    }
case "time", "memory", "memory-cold":
    guard arguments.count >= 4 else { usage() }
    let implementation = arguments[2]
    let path = arguments[3]
    let iterations = command == "time" ? (arguments.count >= 5 ? Int(arguments[4]) ?? 10 : 10) : 1
    if command == "memory" { Measure.warmUpRuntime() }
    let startRSS = Measure.peakRSSKilobytes()
    let bytes = try FileBytes.read(path)
    let afterReadRSS = Measure.peakRSSKilobytes()
    var times: [Double] = []
    var cells = 0
    if command == "time" {
        for _ in 0..<iterations {
            let (milliseconds, count) = try Measure.once(implementation: implementation, bytes: bytes)
            times.append(milliseconds)
            cells = count
        }
    } else {
        // No clock: memory runs measure the decoder, not the timing code.
        cells = try Measure.decode(implementation: implementation, bytes: bytes)
    }
    let peakRSS = Measure.peakRSSKilobytes()
    print(
        "{\"impl\": \"\(implementation)\", \"mode\": \"\(command)\", \"file\": \"\(path)\", \"bytes\": \(bytes.count), "
            + "\"cells\": \(cells), \"times_ms\": \(times), \"rss_start_kb\": \(startRSS), "
            + "\"rss_after_read_kb\": \(afterReadRSS), \"rss_peak_kb\": \(peakRSS)}")
default:
    usage()
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KildeJSONStat

enum Measure {
    /// The process's peak resident set size so far, in kilobytes (Linux `ru_maxrss`).
    static func peakRSSKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    /// Makes the Swift runtime read its protocol conformance tables before the start RSS is taken.
    ///
    /// The first dynamic conformance lookup in a process (a cast, `print`, argument parsing, or
    /// instantiating `Dictionary<String, …>` metadata) walks the conformance records of every loaded
    /// library, Foundation's included: about 0.8 MB of pages, once per process, whatever is decoded.
    /// Every real caller has paid it before it decodes (the `kilde` CLI in argument parsing), so
    /// `memory` counts it as process start; `memory-cold` does not warm up, and counts it as decoding.
    static func warmUpRuntime() {
        let probe: Any = CommandLine.arguments.count
        if probe is any Error { print("unexpected: Int is an Error") }
    }

    /// Decodes once, untimed; returns the number of cells (or, for Foundation, top-level members).
    static func decode(implementation: String, bytes: [UInt8]) throws -> Int {
        switch implementation {
        case "kilde":
            return try JSONStat.decode(bytes).datasets.reduce(0) { $0 + $1.cellCount }
        case "foundation":
            return (try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])?.count ?? 0
        case "read":
            return bytes.count
        default:
            throw FileBytes.ReadError(description: "unknown implementation \(implementation)")
        }
    }

    /// Decodes once and returns the elapsed milliseconds and the number of cells seen.
    static func once(implementation: String, bytes: [UInt8]) throws -> (Double, Int) {
        let clock = ContinuousClock()
        switch implementation {
        case "kilde":
            var cells = 0
            let elapsed = try clock.measure {
                let document = try JSONStat.decode(bytes)
                cells = document.datasets.reduce(0) { $0 + $1.cellCount }
            }
            return (milliseconds(elapsed), cells)
        case "kilde-cells":
            // Full decode, then visit every cell with a value or status.
            var cells = 0
            var sum = 0.0
            let elapsed = try clock.measure {
                let document = try JSONStat.decode(bytes)
                for dataset in document.datasets {
                    dataset.forEachCell { _, indices, value, _ in
                        sum += value ?? 0
                        cells &+= indices[0]
                    }
                }
            }
            if sum.isNaN { print("unexpected") }
            return (milliseconds(elapsed), cells)
        case "foundation":
            let data = Data(bytes)
            var count = 0
            let elapsed = try clock.measure {
                let object = try JSONSerialization.jsonObject(with: data)
                count = (object as? [String: Any])?.count ?? 0
            }
            return (milliseconds(elapsed), count)
        case "read":
            return (0, bytes.count)
        default:
            throw FileBytes.ReadError(description: "unknown implementation \(implementation)")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

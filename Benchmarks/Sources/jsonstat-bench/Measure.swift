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

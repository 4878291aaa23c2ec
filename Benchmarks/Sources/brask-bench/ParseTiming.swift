import Foundation
import KildeSources

/// Times Kilde's whole path from bytes to cells: libxml2's parse, the result element, the table's rows as text,
/// and the pivot with Norwegian numbers read.
enum ParseTiming {
    static func run(file: String, iterations: Int) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        let clock = ContinuousClock()
        var times: [Double] = []
        var cells = 0
        var sum = 0.0
        _ = try BRASKResultPage.parse(bytes, columns: .days)  // warm-up: page faults and libxml2's global set-up
        for _ in 0..<iterations {
            var pivot: BRASKPivot?
            let elapsed = try clock.measure { pivot = try BRASKResultPage.parse(bytes, columns: .days) }
            times.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
            guard let pivot else { continue }
            cells = pivot.rowLabels.count * pivot.columnLabels.count
            sum = pivot.values.joined().compactMap { $0 }.reduce(0, +)
        }
        times.sort()
        let median = times[times.count / 2]
        print("{\"tool\":\"kilde\",\"iterations\":\(iterations),\"median_ms\":\(median),\"min_ms\":\(times[0]),\"cells\":\(cells),\"sum\":\(sum),\"bytes\":\(bytes.count)}")
    }
}

import Foundation

/// Renders rows as an aligned text table, CSV or JSON.
enum OutputFormat: String, CaseIterable {
    case table, csv, json
}

struct TextTable {
    var header: [String]
    var rows: [[String]]
    /// Columns JSON always writes as strings, even when a value reads as a number (a data version of hex digits,
    /// a period like `2025`).
    var strings: Set<String> = []

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table:
            var widths = header.map(\.count)
            for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in
                    let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                    return Self.isNumeric(c) ? pad + c : c + pad
                }.joined(separator: "  ").trimmingTrailingSpaces()
            }
            return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n") + "\n"
        case .csv:
            return ([header] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .json:
            let objects = rows.map { r in
                "{" + zip(header, r).map { k, v in
                    "\(Self.jsonString(k)):\(strings.contains(k) && !v.isEmpty ? Self.jsonString(v) : Self.jsonValue(v))"
                }.joined(separator: ",") + "}"
            }
            return "[" + objects.joined(separator: ",\n ") + "]\n"
        }
    }

    static func isNumeric(_ s: String) -> Bool { !s.isEmpty && Double(s) != nil }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func jsonString(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    static func jsonValue(_ s: String) -> String {
        if s.isEmpty { return "null" }
        if let d = Double(s), d.isFinite, !s.hasPrefix("0") || s == "0" || s.hasPrefix("0.") { return s }
        return jsonString(s)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Formats a metric for people: integers without decimals.
func formatNumber(_ v: Double?) -> String {
    guard let v else { return "" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return String(v)
}

/// Writes to stdout. A reader that went away (`kilde query | head`) ends the output, not the process with a trap.
func printOut(_ s: String) {
    try? FileHandle.standardOutput.write(contentsOf: Data(s.utf8))
}

/// Writes to stderr, like ``printOut(_:)``.
func printErr(_ s: String) {
    try? FileHandle.standardError.write(contentsOf: Data(s.utf8))
}

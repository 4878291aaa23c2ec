import Foundation

/// A value that is one row of a CSV answer.
protocol CSVRow {
    static var csvHeader: [String] { get }
    var csvFields: [String] { get }
}

enum CSVEncoding {
    /// RFC 4180 text: a header row, then one row per value; fields quoted when they need it.
    static func encode<T: CSVRow>(_ rows: [T]) -> String {
        var out = T.csvHeader.map(field).joined(separator: ",") + "\r\n"
        for r in rows { out += r.csvFields.map(field).joined(separator: ",") + "\r\n" }
        return out
    }

    static func field(_ s: String) -> String {
        // A byte scan: Character iteration (grapheme breaking) costs more than the rest of a large answer.
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ v: Double?) -> String {
        guard let v else { return "" }
        return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

extension Payload {
    /// JSON of `value`, or CSV of `rows` when the client asked for CSV.
    static func negotiated<T: CSVRow>(_ format: OutputFormat, json value: some Encodable, csv rows: [T]) throws -> Payload {
        switch format {
        case .json: return try .json(value)
        case .csv: return .text(CSVEncoding.encode(rows), contentType: "text/csv; charset=utf-8")
        }
    }
}

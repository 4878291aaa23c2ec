/// The table a fact lives in: `fact_yearly` (period = year) or `fact_daily` (period = date; months and quarters
/// are dated by their first day).
public enum FactTable: String, Sendable, Hashable, Codable, CaseIterable {
    case yearly = "fact_yearly"
    case daily = "fact_daily"

    /// The table a dataset of `grain` writes to.
    public init(_ grain: TimeGrain) {
        self = grain.isSubyear ? .daily : .yearly
    }

    /// The period column: `year` or `date`.
    public var periodColumn: String { self == .yearly ? "year" : "date" }
}

/// One fetch unit: a dataset, a dimension, a metric, one value (or NULL) per filter axis, and a year window.
///
/// An axis absent from ``filters`` is NULL-as-ALL: the slice covers facts whose column is NULL.
/// An axis may list several filter ids (e.g. all kommuner), which the upstream answers in one request.
public struct Slice: Sendable, Hashable, Codable {
    public var dataset: String
    public var dimCode: Int
    public var metric: Metric
    /// Filter ids per axis; an absent axis is NULL.
    public var filters: [FilterAxis: [Int]]
    /// Inclusive year window; `nil` means every year the upstream has.
    public var years: YearWindow?
    /// Where the slice's facts live. Defaults to `fact_yearly`.
    public var table: FactTable

    public init(dataset: String, dimCode: Int, metric: Metric = .value, filters: [FilterAxis: [Int]] = [:], years: YearWindow? = nil,
                table: FactTable = .yearly) {
        self.dataset = dataset
        self.dimCode = dimCode
        self.metric = metric
        self.filters = filters.mapValues { $0.sorted() }
        self.years = years
        self.table = table
    }

    /// A short, stable human label for logs and errors, e.g. `ssb-12058 dim 5 building_type=64 region=(372 ids) 2015–2024`.
    public var label: String {
        var parts = ["\(dataset) dim \(dimCode)"]
        if metric != .value { parts.append("metric=\(metric.rawValue)") }
        for axis in FilterAxis.allCases {
            guard let ids = filters[axis] else { continue }
            parts.append(ids.count == 1 ? "\(axis.rawValue)=\(ids[0])" : "\(axis.rawValue)=(\(ids.count) ids)")
        }
        parts.append(years.map { "\($0.first)–\($0.last)" } ?? "all years")
        if table == .daily { parts.append("daily") }
        return parts.joined(separator: " ")
    }

    /// Canonical JSON: sorted keys, no whitespace, sorted ids. The store hashes this text into `slice_hash`.
    public var canonicalJSON: String {
        var members: [(String, String)] = [
            ("dataset", CanonicalJSON.string(dataset)),
            ("dim_code", String(dimCode)),
            ("metric", CanonicalJSON.string(metric.rawValue)),
        ]
        var axes: [(String, String)] = []
        for axis in FilterAxis.allCases.sorted() {
            axes.append((axis.rawValue, filters[axis].map { "[" + $0.map(String.init).joined(separator: ",") + "]" } ?? "null"))
        }
        members.append(("filters", CanonicalJSON.object(axes)))
        members.append(("years", years.map { "[\($0.first),\($0.last)]" } ?? "null"))
        // Named only when daily, so the yearly slices' hashes and state keys stay as they were.
        if table == .daily { members.append(("table", CanonicalJSON.string(table.rawValue))) }
        return CanonicalJSON.object(members)
    }
}

/// An inclusive range of years.
public struct YearWindow: Sendable, Hashable, Codable {
    public var first: Int
    public var last: Int

    public init(first: Int, last: Int) {
        self.first = min(first, last)
        self.last = max(first, last)
    }

    public func contains(_ year: Int) -> Bool { year >= first && year <= last }
    public var years: ClosedRange<Int> { first...last }
}

/// Minimal canonical JSON text: object members in the order given (callers sort), strings escaped.
public enum CanonicalJSON {
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Appends `text`'s UTF-8 to `bytes` as the inside of a JSON string literal: quotes, backslashes and control
    /// characters escaped, everything else kept. The byte writers of the CLI and the server share it.
    public static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: bytes.append(b)
            }
        }
    }

    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.sorted { $0.0 < $1.0 }.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}

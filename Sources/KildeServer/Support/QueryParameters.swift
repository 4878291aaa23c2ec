import Hummingbird
import KildeCore

/// A request's query parameters, checked against the names an endpoint knows.
///
/// An unknown name is a 400, not ignored: a misspelt axis (`regoin=0301`) would otherwise silently read the
/// NULL-as-ALL total instead of the kommune the caller asked for.
struct QueryParameters {
    let values: [String: [String]]

    init(_ request: Request, allowed: Set<String>) throws(APIError) {
        var values: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                throw .invalidParameter(name, "unknown parameter '\(name)'; this endpoint takes: \(allowed.sorted().joined(separator: ", "))")
            }
            values[name, default: []].append(String(value))
        }
        self.values = values
    }

    /// The single value of `name`, or `nil`.
    func one(_ name: String) throws(APIError) -> String? {
        guard let all = values[name] else { return nil }
        guard all.count == 1, let v = all.first else { throw .invalidParameter(name, "'\(name)' may be given once") }
        guard !v.isEmpty else { throw .invalidParameter(name, "'\(name)' is empty") }
        return v
    }

    /// Every value of `name`, repeated or comma-separated.
    func list(_ name: String) throws(APIError) -> [String]? {
        guard let all = values[name] else { return nil }
        let items = all.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !items.isEmpty, !items.contains(where: \.isEmpty) else { throw .invalidParameter(name, "'\(name)' has an empty item") }
        return items
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = try one(name) else { return nil }
        guard let v = Int(text), range.contains(v) else { throw .invalidParameter(name, "'\(name)' must be an integer in \(range.lowerBound)…\(range.upperBound), not '\(text)'") }
        return v
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(APIError) -> T? where T.RawValue == String {
        guard let text = try one(name) else { return nil }
        guard let v = T(rawValue: text) else {
            throw .invalidParameter(name, "'\(name)' must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return v
    }

    func years(_ name: String = "years") throws(APIError) -> YearWindow? {
        guard let text = try one(name) else { return nil }
        guard let w = YearWindow(parsing: text) else { throw .invalidParameter(name, "'\(name)' must look like 2023 or 2015-2024, not '\(text)'") }
        return w
    }
}

/// Response formats of the read API.
enum OutputFormat: String, CaseIterable {
    case json, csv

    /// `format=` wins; otherwise `Accept: text/csv` asks for CSV.
    static func negotiate(_ params: QueryParameters, _ request: Request) throws(APIError) -> OutputFormat {
        if let f = try params.choice("format", OutputFormat.self) { return f }
        return request.headers[.accept]?.contains("text/csv") == true ? .csv : .json
    }
}

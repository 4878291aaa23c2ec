import KildeCore
import KildeJSONStat

/// A recorded real table held as a cube, so the simulator answers any selection within it the way the upstream
/// would: the selected categories in the table's order and their recorded values, nothing made up. The table's codes
/// come from its recorded metadata when there is one: a cell the data recording lacks (another year, say) is
/// answered as missing; a code the table lacks is refused as the upstream refuses an unknown code (400).
struct RecordedCube: Sendable {
    struct Dimension: Sendable {
        var id: String
        var label: String
        var codes: [String]
        var labels: [String]
        /// `category.unit` as recorded, by code (JSON text).
        var units: [String: String]
    }

    var label: String
    var source: String
    var updated: String?
    var role: [String: [String]]
    var dimensions: [Dimension]
    var values: [Double?]

    /// - Parameters:
    ///   - text: the recorded data response.
    ///   - metadata: the table's recorded metadata (JSON-stat with empty `value`), which lists every code.
    /// - Returns: `nil` when a text is not a single JSON-stat dataset, or the two do not list the same dimensions.
    init?(recording text: String, metadata: String? = nil) {
        guard let data = Self.dataset(text) else { return nil }
        let shape = metadata.flatMap(Self.dataset) ?? data
        guard shape.dimensions.map(\.id) == data.dimensions.map(\.id) else { return nil }
        label = data.label ?? ""
        source = data.source ?? ""
        updated = data.updated
        var role: [String: [String]] = [:]
        for d in data.dimensions { if let r = d.role { role[r, default: []].append(d.id) } }
        self.role = role
        dimensions = shape.dimensions.map { d in
            var units: [String: String] = [:]
            for c in d.categories {
                guard let u = c.unit else { continue }
                var members: [(String, String)] = []
                if let b = u.base { members.append(("base", CanonicalJSON.string(b))) }
                if let l = u.label { members.append(("label", CanonicalJSON.string(l))) }
                if let s = u.symbol { members.append(("symbol", CanonicalJSON.string(s))) }
                if let n = u.decimals { members.append(("decimals", String(n))) }
                units[c.id] = CanonicalJSON.object(members)
            }
            return Dimension(id: d.id, label: d.label ?? d.id, codes: d.categories.map(\.id), labels: d.categories.map(\.label), units: units)
        }
        // Each recorded cell goes to its place in the table's shape; cells the recording lacks stay missing.
        var strides = [Int](repeating: 1, count: dimensions.count)
        for k in stride(from: dimensions.count - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * dimensions[k + 1].codes.count }
        let positions = zip(data.dimensions, dimensions).map { recorded, full in
            recorded.categories.map { c in full.codes.firstIndex(of: c.id) }
        }
        var values = [Double?](repeating: nil, count: dimensions.reduce(1) { $0 * $1.codes.count })
        var complete = true
        data.forEachCell { _, idx, value, _ in
            var flat = 0
            for k in idx.indices {
                guard let p = positions[k][idx[k]] else { complete = false; return }
                flat += p * strides[k]
            }
            values[flat] = value
        }
        guard complete else { return nil }
        self.values = values
    }

    static func dataset(_ text: String) -> JSONStatDataset? {
        guard let doc = try? JSONStat.decode(Array(text.utf8)), doc.datasets.count == 1 else { return nil }
        return doc.datasets.first
    }

    /// The JSON-stat 2.0 answer to `selection` (codes per dimension id; `*` or an absent dimension: all).
    /// - Returns: the document, or the message of a 400 for a code the recording lacks.
    func answer(_ selection: [String: [String]]) -> Result<String, SelectionError> {
        var picked: [[Int]] = []
        for d in dimensions {
            guard let asked = selection[d.id], asked != ["*"] else {
                picked.append(Array(d.codes.indices))
                continue
            }
            var positions: [Int] = []
            for code in asked {
                guard let i = d.codes.firstIndex(of: code) else {
                    return .failure(SelectionError(message: "value code '\(code)' does not exist in variable \(d.id) of this recording"))
                }
                positions.append(i)
            }
            picked.append(positions.sorted())
        }
        var out = "{\"version\":\"2.0\",\"class\":\"dataset\",\"label\":\(CanonicalJSON.string(label)),\"source\":\(CanonicalJSON.string(source)),"
        if let updated { out += "\"updated\":\(CanonicalJSON.string(updated))," }
        out += "\"role\":" + CanonicalJSON.object(role.map { ($0.key, CanonicalJSON.array($0.value.map(CanonicalJSON.string))) }) + ","
        out += "\"id\":" + CanonicalJSON.array(dimensions.map { CanonicalJSON.string($0.id) }) + ","
        out += "\"size\":" + CanonicalJSON.array(picked.map { String($0.count) }) + ","
        out += "\"dimension\":{" + zip(dimensions, picked).map { d, positions in
            let index = positions.enumerated().map { "\(CanonicalJSON.string(d.codes[$1])):\($0)" }.joined(separator: ",")
            let labels = positions.map { "\(CanonicalJSON.string(d.codes[$0])):\(CanonicalJSON.string(d.labels[$0]))" }.joined(separator: ",")
            let units = positions.compactMap { p in d.units[d.codes[p]].map { "\(CanonicalJSON.string(d.codes[p])):\($0)" } }
            let unit = units.isEmpty ? "" : ",\"unit\":{" + units.joined(separator: ",") + "}"
            return "\(CanonicalJSON.string(d.id)):{\"label\":\(CanonicalJSON.string(d.label)),\"category\":{\"index\":{\(index)},\"label\":{\(labels)}\(unit)}}"
        }.joined(separator: ",") + "},"
        // Row-major over the picked positions, as JSON-stat lays values out.
        var strides = [Int](repeating: 1, count: dimensions.count)
        for k in stride(from: dimensions.count - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * dimensions[k + 1].codes.count }
        var cells: [String] = []
        var position = [Int](repeating: 0, count: picked.count)
        let total = picked.reduce(1) { $0 * $1.count }
        cells.reserveCapacity(total)
        for _ in 0..<total {
            let flat = zip(position.indices, position).reduce(0) { $0 + picked[$1.0][$1.1] * strides[$1.0] }
            cells.append(values[flat].map(JSONNumber.format) ?? "null")
            var k = picked.count - 1
            while k >= 0 {
                position[k] += 1
                if position[k] < picked[k].count { break }
                position[k] = 0
                k -= 1
            }
        }
        out += "\"value\":[" + cells.joined(separator: ",") + "]}"
        return .success(out)
    }

    struct SelectionError: Error {
        var message: String
    }
}

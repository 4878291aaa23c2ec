/// A fault the simulator injects into its next data responses.
public enum Fault: Sendable, Hashable, CustomStringConvertible {
    /// Answer normally (lets a test target a later request: `okx2` then `slow:30`).
    case pass
    /// Answer with this HTTP status (e.g. 503, or 429 with `Retry-After` seconds).
    case status(Int, retryAfter: Int?)
    /// Wait this long, then answer normally.
    case slow(Duration)
    /// Send only the first half of the body.
    case truncated
    /// Send a body that is not JSON.
    case malformed
    /// Rename the region dimension, as if the upstream changed its schema.
    case renamedDimension

    public var description: String {
        switch self {
        case .pass: "ok"
        case .status(let s, let r): r.map { "\(s) (Retry-After: \($0))" } ?? "\(s)"
        case .slow(let d): "slow \(d)"
        case .truncated: "truncated body"
        case .malformed: "malformed JSON"
        case .renamedDimension: "renamed dimension"
        }
    }

    /// Parses the `kilde sim --fault` / control-endpoint spelling: `ok`, `503x2`, `429:2`, `slow:3`, `truncated`, `malformed`, `renamed`.
    public static func parse(_ text: String) -> (Fault, times: Int)? {
        let parts = text.split(separator: "x", maxSplits: 1)
        let times = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
        let spec = String(parts[0])
        if spec == "ok" { return (.pass, times) }
        if spec == "truncated" { return (.truncated, times) }
        if spec == "malformed" { return (.malformed, times) }
        if spec == "renamed" { return (.renamedDimension, times) }
        if spec.hasPrefix("slow:"), let s = Double(spec.dropFirst(5)) { return (.slow(.milliseconds(Int64(s * 1000))), times) }
        let sp = spec.split(separator: ":")
        if let status = Int(sp[0]), (100...599).contains(status) {
            return (.status(status, retryAfter: sp.count > 1 ? Int(sp[1]) : nil), times)
        }
        return nil
    }
}

/// The simulator's mutable state: queued faults, the revised mode and request counts.
public actor SimulatorState {
    private var faults: [Fault] = []
    public private(set) var revised = false
    /// Data requests served (including faulted ones), by table id.
    public private(set) var dataRequests: [String: Int] = [:]
    public private(set) var metadataRequests = 0

    public init() {}

    /// Queues `fault` for the next `times` data requests.
    public func inject(_ fault: Fault, times: Int = 1) {
        faults += Array(repeating: fault, count: max(1, times))
    }

    public func setRevised(_ on: Bool) { revised = on }

    public func reset() {
        faults = []
        revised = false
        dataRequests = [:]
        metadataRequests = 0
    }

    func nextFault(table: String) -> Fault? {
        dataRequests[table, default: 0] += 1
        return faults.isEmpty ? nil : faults.removeFirst()
    }

    func countMetadata() { metadataRequests += 1 }
}

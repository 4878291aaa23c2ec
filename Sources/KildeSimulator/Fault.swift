import Foundation
import KildeCore
/// A fault the simulator injects into its next data responses.
public enum Fault: Sendable, Hashable, CustomStringConvertible {
    /// Answer normally (lets a test target a later request: `okx2` then `slow:30`).
    case pass
    /// Answer with this HTTP status (e.g. 503, or 429 with `Retry-After` seconds).
    case status(Int, retryAfter: Int?)
    /// Wait this long, then answer normally (slow headers).
    case slow(Duration)
    /// Send the headers and the first half of the body at once, the rest after this long (a slow body).
    case slowBody(Duration)
    /// Send the headers and the first half of the body, then drop the connection (a reset mid-answer).
    case reset
    /// Send only the first half of the body.
    case truncated
    /// Send a body that is not JSON.
    case malformed
    /// Rename the region dimension, as if the upstream changed its schema.
    case renamedDimension
    /// Add a dimension of one category (PxWeb's `Kjonn`, both sexes) after the others, as if the table gained one;
    /// every cell keeps its index.
    case addedDimension
    /// Answer a contents code the request did not ask for and the catalogue does not know, as if the table gained one.
    case newCategory
    /// BRIS: give the missing answers (bucket `-1`) a key no catalogue row has, so the `Ikke besvart` row no longer
    /// catches them and the slice's rows fall short of its bucket series.
    case missingAnswerRenamed

    public var description: String {
        switch self {
        case .pass: "ok"
        case .status(let s, let r): r.map { "\(s) (Retry-After: \($0))" } ?? "\(s)"
        case .slow(let d): "slow \(d)"
        case .slowBody(let d): "slow body \(d)"
        case .reset: "connection reset mid-answer"
        case .truncated: "truncated body"
        case .malformed: "malformed JSON"
        case .renamedDimension: "renamed dimension"
        case .addedDimension: "added dimension"
        case .newCategory: "new category"
        case .missingAnswerRenamed: "missing answers under another key"
        }
    }

    /// The most times one fault may be queued, and the longest `slow` delay and `Retry-After`: a spec outside
    /// these bounds is refused rather than queuing more than a test could use or sleeping past any deadline.
    public static let maxTimes = 1000
    public static let maxSeconds = 3600

    /// Parses the `kilde sim --fault` / control-endpoint spelling: `ok`, `503x2`, `429:2`, `slow:3`, `slowbody:3`,
    /// `reset`, `truncated`, `malformed`, `renamed`, `added`, `newcategory`, `unanswered-renamed`, each optionally
    /// `xN` times.
    /// - Returns: the fault and how many times, or why the spec is refused (unknown, negative, too large).
    public static func parse(_ text: String) -> Result<(Fault, times: Int), FaultSpecError> {
        let parts = text.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        var times = 1
        if parts.count == 2 {
            guard let n = Int(parts[1]), (1...maxTimes).contains(n) else {
                return .failure(FaultSpecError(message: "'\(text)': the count after x must be 1 to \(maxTimes)"))
            }
            times = n
        }
        let spec = String(parts[0])
        switch spec {
        case "ok": return .success((.pass, times))
        case "truncated": return .success((.truncated, times))
        case "malformed": return .success((.malformed, times))
        case "renamed": return .success((.renamedDimension, times))
        case "added": return .success((.addedDimension, times))
        case "newcategory": return .success((.newCategory, times))
        case "reset": return .success((.reset, times))
        case "unanswered-renamed": return .success((.missingAnswerRenamed, times))
        default: break
        }
        for (prefix, make) in [("slow:", Fault.slow), ("slowbody:", Fault.slowBody)] where spec.hasPrefix(prefix) {
            guard let s = Double(spec.dropFirst(prefix.count)), s.isFinite, s >= 0, s <= Double(maxSeconds) else {
                return .failure(FaultSpecError(message: "'\(text)': \(prefix.dropLast()) takes 0 to \(maxSeconds) seconds"))
            }
            return .success((make(.milliseconds(Int64(s * 1000))), times))
        }
        let sp = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard let status = Int(sp[0]), (100...599).contains(status), sp.count <= 2 else {
            return .failure(FaultSpecError(message: "'\(text)' is not a fault: use ok, 503x2, 429:2, slow:3, slowbody:3, reset, truncated, malformed, renamed, added, newcategory or unanswered-renamed"))
        }
        var retryAfter: Int?
        if sp.count == 2 {
            guard let r = Int(sp[1]), (0...maxSeconds).contains(r) else {
                return .failure(FaultSpecError(message: "'\(text)': Retry-After takes 0 to \(maxSeconds) seconds"))
            }
            retryAfter = r
        }
        return .success((.status(status, retryAfter: retryAfter), times))
    }
}

/// A fault spec the simulator refuses, and why.
public struct FaultSpecError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The simulator's mutable state: queued faults, the revised mode and request counts.
public actor SimulatorState {
    private var faults: [Fault] = []
    public private(set) var revised = false
    /// BRIS days moved by a test or `/_sim/bris/revise`: missions added per mission type and building group asked
    /// for, on every answer label of that day.
    public private(set) var brisRevisions: [CivilDate: Int] = [:]
    /// Data requests served (including faulted ones), by table id.
    public private(set) var dataRequests: [String: Int] = [:]
    /// Every PxWeb data request's selection (variable → value codes), by table id, in arrival order.
    public private(set) var dataSelections: [String: [[String: [String]]]] = [:]
    public private(set) var metadataRequests = 0
    /// The `updated` of tables that published a release since the simulator started (``publishRelease(table:)``).
    public private(set) var releases: [String: String] = [:]

    public init() {}

    /// Queues `fault` for the next `times` data requests.
    public func inject(_ fault: Fault, times: Int = 1) {
        faults += Array(repeating: fault, count: min(max(1, times), Fault.maxTimes))
    }

    public func setRevised(_ on: Bool) { revised = on }

    /// Publishes a new release of a generated PxWeb table: its `updated` moves to now (later than any earlier one) and
    /// its numbers are the revised ones.
    /// - Returns: the new `updated`.
    @discardableResult
    public func publishRelease(table: String) -> String {
        var now = Date()
        if let last = releases[table].flatMap(Self.date), now <= last { now = last.addingTimeInterval(1) }
        let stamp = now.formatted(.iso8601.year().month().day().timeSeparator(.colon).time(includingFractionalSeconds: false))
        releases[table] = stamp
        revised = true
        return stamp
    }

    static func date(_ text: String) -> Date? { try? Date(text, strategy: .iso8601) }

    /// Moves BRIS's `days` by `delta` missions (added to earlier moves of the same days).
    public func reviseBRIS(_ days: [CivilDate], by delta: Int) {
        for d in days { brisRevisions[d, default: 0] += delta }
    }

    public func reset() {
        faults = []
        revised = false
        brisRevisions = [:]
        dataRequests = [:]
        dataSelections = [:]
        metadataRequests = 0
        releases = [:]
    }

    func nextFault(table: String, selection: [String: [String]]? = nil) -> Fault? {
        dataRequests[table, default: 0] += 1
        if let selection { dataSelections[table, default: []].append(selection) }
        return faults.isEmpty ? nil : faults.removeFirst()
    }

    func countMetadata() { metadataRequests += 1 }
}

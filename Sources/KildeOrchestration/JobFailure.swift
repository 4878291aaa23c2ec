import KildeCore
import KildeStore

/// Why a job's attempt could not start or finish, as the queue keeps it (`work_queue.error_code`): the
/// ``IngestError`` code's text, and for some codes what a caller needs to answer (`|run=12`, `|axis=region`).
public struct JobFailure: Sendable, Hashable {
    public var code: String
    /// The run holding the same slices (``IngestError/Code/activeRun``).
    public var activeRun: Int64?
    /// The selected axis no planned slice covers (``IngestError/Code/filterNotPlanned``).
    public var axis: String?

    public init(code: String, activeRun: Int64? = nil, axis: String? = nil) {
        self.code = code
        self.activeRun = activeRun
        self.axis = axis
    }

    public init(_ e: IngestError) {
        var runID: Int64?
        if let s = e.underlying as? StoreError, case .activeRun(let id) = s.code { runID = id }
        self.init(code: e.code.description, activeRun: runID, axis: (e.underlying as? UnplannedFilter)?.axis.rawValue)
    }

    /// Reads `work_queue.error_code`.
    public init(stored: String) {
        let parts = stored.split(separator: "|").map(String.init)
        self.init(code: parts.first ?? stored)
        for part in parts.dropFirst() {
            if part.hasPrefix("run=") { activeRun = Int64(part.dropFirst(4)) }
            if part.hasPrefix("axis=") { axis = String(part.dropFirst(5)) }
        }
    }

    /// The stored form.
    public var stored: String {
        code + (activeRun.map { "|run=\($0)" } ?? "") + (axis.map { "|axis=\($0)" } ?? "")
    }

    /// Whether another attempt could succeed: not for a job the catalogue or its selection rules out.
    public var isRetryable: Bool {
        ![IngestError.Code.unknownDataset, .invalidSlice, .filterNotPlanned, .filterNotInRegistry, .grainNotSupported]
            .map(\.description).contains(code)
    }

    /// Whether this is `code`.
    public func `is`(_ code: IngestError.Code) -> Bool { self.code == code.description }
}

/// Why a slice failed, naming the dataset, the slice and the cause.
///
/// ``description`` is safe to show and store (`ingest_runs.error_message`);
/// ``debugDescription`` adds the underlying error.
public struct IngestError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// The class of failure, as in SPEC §3's error table.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public var description: String { raw }

        public static let filterNotInRegistry = Code("filter native missing in registry")
        public static let unknownDataset = Code("unknown dataset")
        public static let upstream = Code("upstream error")
        public static let malformedResponse = Code("malformed response")
        public static let schemaChanged = Code("upstream schema changed")
        public static let totalMismatch = Code("total mismatch")
        /// A dataset asks for a grain its source does not serve (e.g. daily data from a source that publishes years).
        public static let grainNotSupported = Code("grain not supported by the source")
        public static let store = Code("store rejected the write")
        /// The store cannot be reached (a PostgreSQL that stopped): the run ends at once, it cannot be recorded.
        public static let storeUnreachable = Code("store unreachable")
        public static let activeRun = Code("slice already running")
        public static let invalidSlice = Code("invalid slice")
        /// A selected filter value no slice of the dataset's plan covers: the run would fetch nothing for it.
        public static let filterNotPlanned = Code("filter not in the slice plan")
        /// A code the catalogue names that the upstream does not offer (e.g. an unverified contents code).
        public static let codeNotOffered = Code("code not offered by the upstream")
        /// The raw response could not be landed in bronze (e.g. a full disk): nothing was parsed or written.
        public static let bronze = Code("bronze landing failed")
        /// The run was cancelled (shutdown) before the slice finished; nothing of it was written.
        public static let cancelled = Code("cancelled")
        /// An adapter broke the conversation contract, or an error of no known kind: a bug to report.
        public static let unexpected = Code("unexpected error")
    }

    public var code: Code
    public var dataset: String
    public var slice: String?
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, dataset: String, slice: String? = nil, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.dataset = dataset
        self.slice = slice
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        var s = "\(dataset)"
        if let slice { s += " [\(slice)]" }
        return s + ": \(code): \(message)"
    }

    public var debugDescription: String {
        description + (underlying.map { " (underlying: \(String(reflecting: $0)))" } ?? "")
    }
}

/// The versioned progress payload stored in `ingest_runs.phase_detail` (SPEC §5).
///
/// `canonicalProgress` is monotonic in 0…1 within a run.
public struct PhaseDetail: Sendable, Hashable {
    public var kind: String
    public var phase: String
    public var done: Int
    public var total: Int
    public var canonicalProgress: Double
    /// Where the run is, e.g. `["slice": "3"]` or `["year": "2019", "month": "3"]`.
    public var cursor: [String: String]
    public var startedAt: String
    public var counters: RowCounters

    public init(kind: String, phase: String, done: Int, total: Int, canonicalProgress: Double,
                cursor: [String: String] = [:], startedAt: String, counters: RowCounters = .init()) {
        self.kind = kind
        self.phase = phase
        self.done = done
        self.total = total
        self.canonicalProgress = min(1, max(0, canonicalProgress))
        self.cursor = cursor
        self.startedAt = startedAt
        self.counters = counters
    }

    public var json: String {
        CanonicalJSON.object([
            ("v", "1"),
            ("kind", CanonicalJSON.string(kind)),
            ("phase", CanonicalJSON.string(phase)),
            ("done", String(done)),
            ("total", String(total)),
            ("canonical_progress", JSONNumber.format((canonicalProgress * 1000).rounded() / 1000)),
            // Sorted, so one progress is always the same text; whole numbers (a year, a month) as JSON numbers.
            ("cursor", CanonicalJSON.object(cursor.sorted { $0.key < $1.key }.map { k, v in
                (k, Int(v).map(String.init) == v ? v : CanonicalJSON.string(v))
            })),
            ("started_at", CanonicalJSON.string(startedAt)),
            ("stats", CanonicalJSON.object([
                ("rows_added", String(counters.added)), ("rows_updated", String(counters.updated)),
                ("rows_skipped_identical", String(counters.skippedIdentical)),
            ])),
        ])
    }
}

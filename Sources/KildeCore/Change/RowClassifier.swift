/// The metrics a stored fact holds, as loaded for classification.
public struct StoredMetrics: Sendable, Hashable {
    public var value: Double?
    public var valueKr: Double?

    public init(value: Double?, valueKr: Double?) {
        self.value = value
        self.valueKr = valueKr
    }
}

/// The outcome of classifying a slice's transformed rows against what is stored.
public struct Classification: Sendable, Hashable {
    /// Rows to send to the writer: new keys and keys whose compared metric differs.
    public var toWrite: [Fact] = []
    /// Stored keys of the written periods that upstream no longer has (cell now zero or suppressed).
    public var toDelete: [FactKey] = []
    /// Stored keys whose compared metric upstream no longer reports but whose other metric is set:
    /// the writer clears only the compared metric.
    public var toClear: [FactKey] = []
    public var added = 0
    public var updated = 0
    public var identical = 0
    public var deleted = 0

    public init() {}
}

/// Row classification of SPEC §4: `added`, `updated` (a compared metric differs) or `identical` (not sent).
public enum RowClassifier {
    /// Classifies `rows` (already restricted to the periods being written) against `existing`.
    ///
    /// Only `metric` is compared, so a pass that carries only `value` never counts `value_kr` as changed.
    /// Stored keys of `periodsWritten` that are absent from `rows` are returned in ``Classification/toDelete``
    /// when their only metric is `metric`: the upstream no longer reports them, and keeping them would be wrong.
    public static func classify(
        rows: [Fact], existing: [FactKey: StoredMetrics], metric: Metric, years: Set<Int>?
    ) -> Classification {
        var out = Classification()
        var seen = Set<FactKey>()
        seen.reserveCapacity(rows.count)
        for row in rows {
            seen.insert(row.key)
            guard let before = existing[row.key] else {
                out.added += 1
                out.toWrite.append(row)
                continue
            }
            let old = metric == .value ? before.value : before.valueKr
            let new = row.metric(metric)
            if old == new || (old != nil && new != nil && ChangeGate.sumsEqual(old ?? 0, new ?? 0)) {
                out.identical += 1
            } else {
                out.updated += 1
                out.toWrite.append(row)
            }
        }
        for (key, stored) in existing where !seen.contains(key) {
            if let years, !years.contains(key.period.year) { continue }
            let otherMetric = metric == .value ? stored.valueKr : stored.value
            let current = metric == .value ? stored.value : stored.valueKr
            if otherMetric == nil {
                out.toDelete.append(key)
            } else if current != nil {
                out.toClear.append(key)
            }
        }
        out.deleted = out.toDelete.count + out.toClear.count
        return out
    }
}

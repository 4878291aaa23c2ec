import KildeCore
import KildeStore

/// Kilde's side: every slice goes through the store calls `kilde ingest` makes — probe, existing rows, commit —
/// with the upstream already fetched (the synthetic atoms stand in for a transformed response).
struct KildeLoad {
    let store: PostgresFactStore
    let data: SyntheticData

    struct Timing {
        var total: Duration = .zero
        /// The part spent in `commitSlice` (the write path proper).
        var commit: Duration = .zero
        var written = 0
        var skipped = 0
    }

    func ref(_ i: Int) -> SliceRef { SliceRef(runID: nil, sourceID: data.sourceID, dataset: "ssb-12058", slice: data.slice(i)) }

    func artifact(_ i: Int, at: String) -> RawArtifact {
        RawArtifact(sha256: String(repeating: "0", count: 63) + String(i % 10), key: "bench/\(i)", url: "bench://slice/\(i)", method: "GET",
                    contentType: "application/json", bytes: 1, fetchedAt: at)
    }

    /// Loads (or re-loads) every slice and times it. A slice the probe finds unchanged is skipped, as in the pipeline.
    func run(at: String) async throws -> Timing {
        var timing = Timing()
        let clock = ContinuousClock()
        let start = clock.now
        for i in data.regions.indices {
            let facts = data.facts(slice: i)
            let slice = data.slice(i)
            let keys = SliceKeySet(slice: slice, sourceID: data.sourceID)
            let upstream = SliceTotals(facts: facts, metric: .value)
            let probe = try await store.probe(SliceProbe(ref: ref(i), keys: keys, metric: .value, upstream: upstream,
                                                         artifacts: [artifact(i, at: at)], transformedRowCount: facts.count, fetchedAt: at))
            if probe.markedUnchanged {
                timing.skipped += 1
                continue
            }
            // The pipeline's steps after the probe (IngestPipeline+Slice.swift).
            let decision = ChangeGate.decide(upstream: upstream, stored: probe.stored)
            let years: Set<Int>? = if case .writeYears(let ys) = decision { ys } else { nil }
            let existing = decision == .skip ? [:] : try await store.existingFacts(keys, years: years)
            let rows = years.map { ys in facts.filter { ys.contains($0.key.period.year) } } ?? facts
            let classified = decision == .skip ? Classification() : RowClassifier.classify(rows: rows, existing: existing, metric: .value, years: years)
            let commitStart = clock.now
            try await store.commitSlice(SliceCommit(ref: ref(i), metric: .value, upserts: classified.toWrite, deletes: classified.toDelete,
                                                    clears: classified.toClear, upstream: upstream, transformedRowCount: facts.count, fetchedAt: at))
            timing.commit += clock.now - commitStart
            timing.written += classified.toWrite.count
        }
        timing.total = clock.now - start
        return timing
    }
}

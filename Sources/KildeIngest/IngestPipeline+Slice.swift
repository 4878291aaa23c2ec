import KildeCore
import KildeSources
import KildeStore
import KildeUpstream

/// What processing one slice needs from its run.
struct SliceContext<Prepared: Sendable>: Sendable {
    var index: Int
    var ref: SliceRef
    var run: [Slice]
    var prepared: Prepared
    var exchange: RunExchange
    var events: @Sendable (IngestEvent) -> Void
    var progress: RunProgressWriter
    /// Slices finished before this one, and their counters, for progress.
    var done: Int
    var counters: RowCounters
}

extension IngestPipeline {
    /// One slice: converse (fetch and land, or ask the store) → transform → probe/gate → classify → commit.
    /// Never throws: a failure becomes the result, with a typed ``IngestError``.
    func process<A: DatasetAdapter>(_ adapter: A, _ c: SliceContext<A.Prepared>) async -> SliceResult {
        let slice = c.ref.slice
        var artifacts: [RawArtifact] = []
        var requests = 0
        var received: [UpstreamResponse] = []
        // The upstream's own totals once the transform has read them: kept in source_totals even when the slice fails.
        var upstreamTotals: SliceTotals?
        // The last progress of a fan-out conversation, kept in the result (and so in phase_detail) if the slice fails.
        var fanout: FanoutProgress?
        do {
            let fetchedAt = Timestamp.now()
            var conversation = try adapter.fetch(slice, run: c.run, prepared: c.prepared)
            var reply: ConversationReply?
            var steps = 0
            let cookies = conversation.session.map(c.exchange.cookies(session:)) ?? CookieJar()
            let responses: [UpstreamResponse]
            var daily: DailyFetch?
            converse: while true {
                let step = try conversation.next(after: reply)
                fanout = conversation.progress
                switch step {
                case .fetch(let request):
                    steps += 1
                    c.events(.step(index: c.index, step: steps, label: request.label))
                    if let fanout {
                        c.events(.fanout(index: c.index, progress: fanout))
                        await c.progress.fanout(done: c.done, counters: c.counters, fanout)
                    } else if steps > 1 {
                        // From the second request on, the stored progress names the step a long conversation is at.
                        // A slice's first request needs none (the last write said which slice is next), which keeps a
                        // stable single-request slice at one store round trip.
                        await c.progress.step(done: c.done, counters: c.counters, slice: c.index, step: steps, label: request.label)
                    }
                    let events = c.events
                    let (response, artifact, sent) = try await c.exchange.exchange(request, cookies: cookies, slice: slice.label) { attempt, wait, reason in
                        events(.retrying(attempt: attempt, wait: wait, reason: reason))
                    }
                    if sent { requests += 1 }
                    received.append(response)
                    if let artifact { artifacts.append(artifact) }
                    reply = .response(response)
                case .askStore(let keys, let metric):
                    reply = .stored(try await storedTotals(keys, metric: metric, dataset: c.ref.dataset, slice: slice.label))
                case .finish(.unchanged(let reason)):
                    guard received.isEmpty else {
                        throw IngestError(.unexpected, dataset: c.ref.dataset, slice: slice.label,
                                          message: "the adapter found the slice unchanged after fetching; only a gate before fetching may")
                    }
                    var result = SliceResult(index: c.index, slice: slice, outcome: .unchanged, decision: .skip, warnings: [reason])
                    result.fanout = fanout
                    return result
                case .finish(.fetched(let r)):
                    responses = r
                    break converse
                case .finish(.fetchedMonths(let d)):
                    daily = d
                    responses = d.pages
                    break converse
                }
            }
            var chained = RowCounters()
            var notes: [String] = []
            if let daily, !daily.yearly.isEmpty {
                chained = try await writeChainedYearly(adapter, daily.yearly, c)
                notes.append("fact_yearly had nothing for the slice: its yearly table was written first (\(chained.added) added, \(chained.updated) updated)")
            }
            let output = try adapter.transform(responses, slice: slice, prepared: c.prepared)
            for w in output.warnings { logger.notice("\(c.ref.dataset) [\(slice.label)]: \(w)") }
            upstreamTotals = output.reconcileWith
            try reconcile(output, source: c.exchange.sourceName, dataset: c.ref.dataset, slice: slice.label)
            var result = try await write(output, ref: c.ref, artifacts: artifacts, fetchedAt: fetchedAt, index: c.index, daily: daily)
            result.upstreamRequests = requests
            result.counters = result.counters + chained
            if chained.added + chained.updated > 0 { result.outcome = .written }
            result.warnings = notes + (daily?.note.map { [$0] } ?? []) + result.warnings
            result.fanout = fanout
            return result
        } catch {
            c.exchange.forget(received)
            let failure = IngestError.classify(error, dataset: c.ref.dataset, slice: slice.label)
            do {
                try await store.recordFailure(SliceFailure(ref: c.ref, artifacts: artifacts, error: failure.description, fetchedAt: Timestamp.now(),
                                                           upstream: upstreamTotals))
            } catch {
                logger.error("could not record slice failure", metadata: ["error": "\(error)"])
            }
            logger.warning("slice failed", metadata: ["dataset": "\(c.ref.dataset)", "slice": "\(slice.label)", "error": "\(failure)"])
            var result = SliceResult(index: c.index, slice: slice, outcome: .failed, upstreamRequests: requests, error: failure)
            result.fanout = fanout
            return result
        }
    }

    /// SPEC §3's total check: a slice whose facts do not add up to the upstream's own totals fails whole, naming the
    /// source, the slice, the gap per year and what the transform skipped (usually a label without a category row).
    func reconcile(_ output: TransformOutput, source: String, dataset: String, slice: String) throws(IngestError) {
        guard let upstream = output.reconcileWith, let gap = Reconciliation.gap(written: output.totals, upstream: upstream) else { return }
        let skipped = output.warnings.isEmpty ? "" : "; " + output.warnings.joined(separator: "; ")
        throw IngestError(.totalMismatch, dataset: dataset, slice: slice, message: "\(source): \(gap)\(skipped)", underlying: gap)
    }

    /// Gate and write a transformed slice: the probe (one round trip when nothing changed), then the changed rows.
    /// - Parameter daily: a daily gate's fetch: only its months are classified and written, and the slice's upstream
    ///   totals over its whole window (the fetched months' and the stable ones') are what the probe compares and
    ///   reconciliation records.
    func write(_ output: TransformOutput, ref: SliceRef, artifacts: [RawArtifact], fetchedAt: String, index: Int,
               daily: DailyFetch? = nil) async throws -> SliceResult {
        let slice = ref.slice
        let keys = SliceKeySet(slice: slice, sourceID: ref.sourceID)
        let upstream = daily.map { $0.windowTotals(output.reconcileWith ?? output.totals) } ?? output.totals
        let probe = try await store.probe(SliceProbe(ref: ref, keys: keys, metric: slice.metric, upstream: upstream,
                                                     artifacts: artifacts, transformedRowCount: output.facts.count, fetchedAt: fetchedAt))
        let decision = ChangeGate.decide(upstream: upstream, stored: probe.stored)
        var result = SliceResult(index: index, slice: slice, outcome: .unchanged, decision: decision, apiTotal: output.apiTotal,
                                 transformedRowCount: output.facts.count, skippedUnmapped: output.skippedUnmapped, warnings: output.warnings)
        if probe.markedUnchanged {
            result.counters.skippedIdentical = output.facts.count
            return result
        }
        let existing: [FactKey: StoredMetrics], rows: [Fact], c: Classification
        if let daily {
            // The months fetched, whatever the yearly decision: the other months were found stable by the gates.
            let months = daily.months
            existing = months.isEmpty ? [:] : try await store.existingFacts(keys, years: Set(months.map { $0 / 100 }))
                .filter { $0.key.period.yearMonth.map(months.contains) ?? false }
            rows = output.facts
            c = RowClassifier.classify(rows: rows, existing: existing, metric: slice.metric, years: nil)
        } else {
            let years: Set<Int>?
            switch decision {
            case .skip, .writeAll: years = nil
            case .writeYears(let ys): years = ys
            }
            existing = decision == .skip ? [:] : try await store.existingFacts(keys, years: years)
            rows = years.map { ys in output.facts.filter { ys.contains($0.key.period.year) } } ?? output.facts
            c = decision == .skip ? Classification() : RowClassifier.classify(rows: rows, existing: existing, metric: slice.metric, years: years)
        }
        try await store.commitSlice(SliceCommit(ref: ref, metric: slice.metric, upserts: c.toWrite, deletes: c.toDelete, clears: c.toClear,
                                                upstream: upstream, transformedRowCount: output.facts.count, fetchedAt: fetchedAt))
        result.counters = RowCounters(added: c.added, updated: c.updated,
                                      skippedIdentical: c.identical + (output.facts.count - rows.count), deleted: c.deleted)
        result.outcome = c.toWrite.isEmpty && c.deleted == 0 ? .unchanged : .written
        return result
    }
}

extension IngestPipeline {
    /// A daily gate's auto-chain: the yearly table it fetched, transformed as a yearly slice of the same keys and
    /// written to `fact_yearly` through the yearly gates, under the catalogue's yearly dataset of the same source,
    /// dimension and adapter kind when there is exactly one (else under the daily dataset's own key).
    func writeChainedYearly<A: DatasetAdapter>(_ adapter: A, _ responses: [UpstreamResponse], _ c: SliceContext<A.Prepared>) async throws -> RowCounters {
        let ds = adapter.dataset
        let siblings = registry.catalog.datasets.filter { $0.sourceID == ds.sourceID && $0.dimCode == ds.dimCode && $0.adapter == ds.adapter && $0.grain == .year }
        var slice = c.ref.slice
        slice.table = .yearly
        if siblings.count == 1, let sibling = siblings.first { slice.dataset = sibling.key }
        let output = try adapter.transform(responses, slice: slice, prepared: c.prepared)
        try reconcile(output, source: c.exchange.sourceName, dataset: slice.dataset, slice: slice.label)
        let ref = SliceRef(runID: c.ref.runID, sourceID: c.ref.sourceID, dataset: slice.dataset, slice: slice)
        return try await write(output, ref: ref, artifacts: [], fetchedAt: Timestamp.now(), index: c.index).counters
    }
}

extension IngestError {
    /// A store's error: `.storeUnreachable` when the store cannot be reached, `.store` otherwise.
    static func store(_ e: StoreError, dataset: String, slice: String?) -> IngestError {
        IngestError(e.code == .connection ? .storeUnreachable : .store, dataset: dataset, slice: slice, message: e.message, underlying: e)
    }

    /// Any error of a slice as a typed ``IngestError``: each known kind keeps its class (a full disk in bronze is not
    /// a malformed response); an unknown one is `.unexpected`, never passed off as the upstream's fault.
    static func classify(_ error: any Error, dataset: String, slice: String) -> IngestError {
        switch error {
        case var e as IngestError:
            if e.slice == nil { e.slice = slice }
            return e
        case let e as StoreError:
            return store(e, dataset: dataset, slice: slice)
        case let e as UpstreamError:
            return IngestError(.upstream, dataset: dataset, slice: slice, message: e.description, underlying: e)
        case is CancellationError:
            return IngestError(.cancelled, dataset: dataset, slice: slice, message: "the run was cancelled")
        default:
            return IngestError(.unexpected, dataset: dataset, slice: slice, message: "\(error)")
        }
    }
}

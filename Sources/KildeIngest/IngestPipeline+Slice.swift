import KildeCore
import KildeSources
import KildeStore
import KildeUpstream

extension IngestPipeline {
    /// One slice: fetch → land → transform → probe/gate → classify → commit. Never throws: failures become the result.
    func process(index: Int, ref: SliceRef, adapter: any DatasetAdapter, preparation: Preparation,
                 prepended: [UpstreamResponse], events: @Sendable (IngestEvent) -> Void) async -> SliceResult {
        let slice = ref.slice
        let dataset = ref.dataset
        var artifacts: [RawArtifact] = []
        var requestsMade = 0
        func fail(_ message: String) async -> SliceResult {
            let fetchedAt = Timestamp.now()
            do {
                try await store.recordFailure(SliceFailure(ref: ref, artifacts: artifacts, error: message, fetchedAt: fetchedAt))
            } catch {
                logger.error("could not record slice failure", metadata: ["error": "\(error)"])
            }
            logger.warning("slice failed", metadata: ["dataset": "\(dataset)", "slice": "\(slice.label)", "error": "\(message)"])
            return SliceResult(index: index, slice: slice, outcome: .failed, upstreamRequests: requestsMade, error: message)
        }
        do {
            let fetchedAt = Timestamp.now()
            for response in prepended { artifacts.append(try bronze.land(response, fetchedAt: fetchedAt)) }
            let requests = try adapter.requests(for: slice, registry: registry, preparation: preparation, upstream: upstream)
            var responses: [UpstreamResponse] = []
            for request in requests {
                requestsMade += 1
                let response = try await upstream.fetcher.fetch(request, budget: upstream.budget) { attempt, wait, reason in
                    events(.retrying(attempt: attempt, wait: wait, reason: reason))
                }
                // Bronze before parsing: the bytes are kept even if the transform rejects them.
                artifacts.append(try bronze.land(response, fetchedAt: fetchedAt))
                responses.append(response)
            }
            // The run claimed the store for the kind of its metadata responses; every slice must be of that kind too.
            if let runIsDemo = preparation.responses.first?.isDemo, responses.contains(where: { $0.isDemo != runIsDemo }) {
                return await fail(IngestError(.malformedResponse, dataset: dataset, slice: slice.label, message: "mixed demo and real responses").description)
            }
            let output = try adapter.transform(responses, slice: slice, registry: registry)
            for w in output.warnings { logger.notice("\(dataset) [\(slice.label)]: \(w)") }
            let keys = SliceKeySet(slice: slice, sourceID: ref.sourceID)
            let probe = try await store.probe(SliceProbe(ref: ref, keys: keys, metric: slice.metric, upstream: output.totals,
                                                         artifacts: artifacts, transformedRowCount: output.facts.count, fetchedAt: fetchedAt))
            artifacts = []  // recorded by the probe
            let decision = ChangeGate.decide(upstream: output.totals, stored: probe.stored)
            var result = SliceResult(index: index, slice: slice, outcome: .unchanged, decision: decision, apiTotal: output.apiTotal,
                                     transformedRowCount: output.facts.count, skippedUnmapped: output.skippedUnmapped,
                                     upstreamRequests: requestsMade, warnings: output.warnings)
            if probe.markedUnchanged {
                result.counters.skippedIdentical = output.facts.count
                return result
            }
            let years: Set<Int>?
            switch decision {
            case .skip, .writeAll: years = nil
            case .writeYears(let ys): years = ys
            }
            let existing = decision == .skip ? [:] : try await store.existingFacts(keys, years: years)
            let rows = years.map { ys in output.facts.filter { ys.contains($0.key.period.year) } } ?? output.facts
            let c = decision == .skip ? Classification() : RowClassifier.classify(rows: rows, existing: existing, metric: slice.metric, years: years)
            try await store.commitSlice(SliceCommit(ref: ref, metric: slice.metric, upserts: c.toWrite, deletes: c.toDelete, clears: c.toClear,
                                                    upstream: output.totals, transformedRowCount: output.facts.count, fetchedAt: fetchedAt))
            result.counters = RowCounters(added: c.added, updated: c.updated,
                                          skippedIdentical: c.identical + (output.facts.count - rows.count), deleted: c.deleted)
            result.outcome = c.toWrite.isEmpty && c.deleted == 0 ? .unchanged : .written
            return result
        } catch let e as IngestError {
            return await fail(e.description)
        } catch let e as UpstreamError {
            return await fail(IngestError(.upstream, dataset: dataset, slice: slice.label, message: "\(upstreamName(ref)) \(e)").description)
        } catch let e as StoreError {
            return await fail(IngestError(.store, dataset: dataset, slice: slice.label, message: e.message).description)
        } catch {
            return await fail(IngestError(.malformedResponse, dataset: dataset, slice: slice.label, message: "\(error)").description)
        }
    }

    func upstreamName(_ ref: SliceRef) -> String {
        registry.source(id: ref.sourceID)?.key.uppercased() ?? "upstream"
    }
}

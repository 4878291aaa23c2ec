import Foundation
import KildeCore
import KildeSources
import KildeStore
import KildeUpstream

/// Every upstream request of one run goes through here, the one place that keeps the run's rules: the request
/// budget, rate limits, deadlines and retries (``HTTPFetcher``), cookies per conversation, cancellation, landing
/// the raw bytes in bronze before anything parses them, claiming the store for demo or real data on the first
/// response, and sending a request the run already sent (slices that share one) only once.
final class RunExchange: Sendable {
    let upstream: Upstream
    /// `nil` lands nothing (a catalogue check reads metadata and keeps none of it).
    let bronze: Bronze?
    /// `nil` claims nothing (a catalogue check has no store).
    let store: (any DataKindStore)?
    let dataset: String
    /// The source's name in errors, e.g. `SSB`.
    let sourceName: String
    private let state = Locked(State())

    private struct State {
        var kind: DataKind?
        var sent: [RequestKey: UpstreamResponse] = [:]
        var sessions: [String: CookieJar] = [:]
        var requests = 0
    }

    private struct RequestKey: Hashable {
        var method: String
        var url: String
        var body: [UInt8]?
    }

    init(upstream: Upstream, bronze: Bronze?, store: (any DataKindStore)?, dataset: String, sourceName: String) {
        self.upstream = upstream
        self.bronze = bronze
        self.store = store
        self.dataset = dataset
        self.sourceName = sourceName
    }

    /// The cookie jar of an upstream session the run's conversations share (``Conversation/session``).
    func cookies(session: String) -> CookieJar {
        state.withLock { s in
            if let jar = s.sessions[session] { return jar }
            let jar = CookieJar()
            s.sessions[session] = jar
            return jar
        }
    }

    /// Upstream requests sent so far in this run (a shared request counts once).
    var requestsSent: Int { state.withLock { $0.requests } }

    /// A response to `request`: the one this run already has, or a fresh one, fetched with retries and landed.
    /// - Returns: the response, its bronze provenance (`nil` without bronze), and whether it was sent now (not shared).
    /// - Throws: ``IngestError`` `.upstream` (after retries, or budget spent), `.cancelled`, `.bronze`, `.store`
    ///   (the store holds the other kind of data), or `.malformedResponse` for demo and real data in one run.
    func exchange(_ request: UpstreamRequest, cookies: CookieJar, slice: String?,
                  onRetry: @escaping @Sendable (Int, Duration, String) -> Void) async throws(IngestError) -> (UpstreamResponse, RawArtifact?, sent: Bool) {
        let key = RequestKey(method: request.method, url: request.url, body: request.body)
        if request.isShareable, let kept = state.withLock({ $0.sent[key] }) {
            return (kept, try land(kept, slice: slice), false)
        }
        if Task.isCancelled { throw IngestError(.cancelled, dataset: dataset, slice: slice, message: "the run was cancelled before \(request.label)") }
        let response: UpstreamResponse
        do {
            state.withLock { $0.requests += 1 }
            response = try await upstream.fetcher.fetch(request, budget: upstream.budget, cookies: cookies, onRetry: onRetry)
        } catch let e as UpstreamError {
            throw IngestError(.upstream, dataset: dataset, slice: slice, message: "\(sourceName) \(request.label): \(e)", underlying: e)
        } catch is CancellationError {
            throw IngestError(.cancelled, dataset: dataset, slice: slice, message: "the run was cancelled during \(request.label)")
        } catch {
            throw IngestError(.unexpected, dataset: dataset, slice: slice, message: "\(request.label): \(error)")
        }
        // Bronze before anything else: the bytes are kept even if the kind check or the transform rejects them.
        let artifact = try land(response, slice: slice)
        // An error page (BRASK's 500 for a year without data) carries no data of either kind.
        if (200..<300).contains(response.status) { try await claim(response, slice: slice) }
        if request.isShareable { state.withLock { $0.sent[key] = response } }
        return (response, artifact, true)
    }

    /// Forgets kept responses, so the next slice that asks sends the request again: a slice that failed on a
    /// shared response (truncated, malformed) must not fail the run's other slices with the same bytes.
    func forget(_ responses: [UpstreamResponse]) {
        state.withLock { s in
            for r in responses { s.sent[RequestKey(method: r.request.method, url: r.request.url, body: r.request.body)] = nil }
        }
    }

    func land(_ response: UpstreamResponse, slice: String?) throws(IngestError) -> RawArtifact? {
        guard let bronze else { return nil }
        do {
            return try bronze.land(response, fetchedAt: Timestamp.now())
        } catch {
            throw IngestError(.bronze, dataset: dataset, slice: slice,
                              message: "could not store the raw response of \(response.request.label) in \(bronze.root.path): \(error.localizedDescription)",
                              underlying: BronzeFailure(description: "\(error)"))
        }
    }

    /// Demo responses may only go into a demo store, real ones into a real store; one run never mixes them.
    private func claim(_ response: UpstreamResponse, slice: String?) async throws(IngestError) {
        guard let store else { return }
        let kind: DataKind = response.isDemo ? .demo : .real
        let first = state.withLock { s -> DataKind? in
            let before = s.kind
            if before == nil { s.kind = kind }
            return before
        }
        if let first {
            guard first == kind else { throw IngestError(.malformedResponse, dataset: dataset, slice: slice, message: "mixed demo and real responses") }
            return
        }
        do {
            try await store.claimDataKind(kind)
        } catch let e as StoreError {
            state.withLock { $0.kind = nil }
            throw IngestError.store(e, dataset: dataset, slice: slice)
        } catch {
            state.withLock { $0.kind = nil }
            throw IngestError(.store, dataset: dataset, slice: slice, message: "\(error)")
        }
    }
}

extension RunExchange {
    /// Drives a conversation that needs no progress of its own (a run's preparation) to its outcome.
    /// - Parameters:
    ///   - ask: answers the store questions; `nil` (no store) makes a question an error.
    ///   - artifacts: receives the bronze provenance of every response.
    func drive<Outcome: Sendable>(_ conversation: any Conversation<Outcome>, events: @escaping @Sendable (IngestEvent) -> Void,
                                  ask: ((SliceKeySet, Metric) async throws(IngestError) -> StoredTotals)?,
                                  artifacts: inout [RawArtifact]) async throws(IngestError) -> Outcome {
        var conversation = conversation
        var reply: ConversationReply?
        let cookies = CookieJar()
        while true {
            switch try conversation.next(after: reply) {
            case .fetch(let request):
                let (response, artifact, _) = try await exchange(request, cookies: cookies, slice: nil) { attempt, wait, reason in
                    events(.retrying(attempt: attempt, wait: wait, reason: reason))
                }
                if let artifact { artifacts.append(artifact) }
                reply = .response(response)
            case .askStore(let keys, let metric):
                guard let ask else { throw IngestError(.unexpected, dataset: dataset, message: "a store question without a store") }
                reply = .stored(try await ask(keys, metric))
            case .finish(let outcome):
                return outcome
            }
        }
    }
}

/// A filesystem error while landing in bronze, kept as text (Foundation's errors are not `Sendable`).
struct BronzeFailure: Error, Sendable, CustomStringConvertible {
    var description: String
}

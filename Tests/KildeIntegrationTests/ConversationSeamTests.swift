import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KildeCore
import KildeIngest
import KildeSources
@testable import KildeStore
import KildeUpstream
import Testing

/// The adapter seam driven by adapters that are not PxWeb: a two-step form conversation with a cookie, and a gate
/// before fetching. They are registered as kinds of their own, named by a catalogue dataset, and run through the real
/// pipeline, store and HTTP client against a real server on loopback.
@Suite("Adapter seam", .serialized)
struct ConversationSeamTests {
    /// What the test server saw.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var _posts = 0
        private var _dataGets = 0
        private var _progress: [String] = []
        var posts: Int { lock.withLock { _posts } }
        var dataGets: Int { lock.withLock { _dataGets } }
        var progress: [String] { lock.withLock { _progress } }
        func post() -> Int { lock.withLock { _posts += 1; return _posts } }
        func dataGet() { lock.withLock { _dataGets += 1 } }
        func record(_ p: String) { lock.withLock { _progress.append(p) } }
    }

    /// A form page that sets a session cookie and carries a token; the POST must send both. The first POST is a 503.
    /// `GET /data` answers a gated adapter. While a POST is served, the run's stored `phase_detail` is recorded.
    static func server(_ env: TestEnvironment, _ seen: Seen) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("form") { _, _ in
            var r = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"token":"t-42"}"#)))
            r.headers[.setCookie] = "session=abc123; Path=/; HttpOnly"
            return r
        }
        router.post("form") { request, _ in
            if let run = try await env.store.runs(limit: 1).first, let detail = run.phaseDetail { seen.record(detail) }
            let body = String(buffer: try await request.body.collect(upTo: 4096))
            guard request.headers[.cookie] == "session=abc123", body == "token=t-42" else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "no session or token: \(body)")))
            }
            if seen.post() == 1 { return Response(status: .serviceUnavailable) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"value":7}"#)))
        }
        router.get("data") { _, _ in
            seen.dataGet()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"value":11}"#)))
        }
        return router
    }

    /// The catalogue with the test's datasets on the SSB source, dimension 5 (category 502 is stored there).
    static func catalog(_ c: Catalog) -> Catalog {
        var c = c
        for (key, kind) in [("form-test", "form"), ("gated-test", "gated")] {
            c.datasets.append(DatasetDefinition(key: key, sourceID: 5, adapter: kind, tableID: key, title: key, dimCode: 5,
                                                schedule: "0 4 * * *", freshnessMonths: 13, isDefault: false))
        }
        return c
    }

    /// An environment whose pipeline knows the test kinds, with the test server listening on loopback.
    static func withServer(_ kind: StoreKind, _ body: @escaping @Sendable (TestEnvironment, Seen) async throws -> Void) async throws {
        let base = BaseURL()
        let kinds = AdapterKinds.builtIn.adding(TestKind(name: "form", base: base)).adding(TestKind(name: "gated", base: base))
        try await TestEnvironment.with(kind, kinds: kinds, catalog: Self.catalog) { env in
            let seen = Seen()
            let app = Application(router: Self.server(env, seen), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                base.set("http://127.0.0.1:\(try #require(client.port))")
                try await body(env, seen)
            }
        }
    }

    @Test("a two-step conversation with a token and a cookie runs through the pipeline", arguments: StoreKind.enabled)
    func twoStepConversation(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { env, seen in
            let events = Events()
            let result = try await env.pipeline.run(dataset: "form-test") { events.add($0) }
            #expect(result.status == .complete, "\(result.failed.map { $0.error?.description ?? "" })")
            #expect(result.slices.first?.counters.added == 1)
            #expect(result.slices.first?.upstreamRequests == 2, "a GET and a POST; the POST's retry is the fetcher's")
            #expect(seen.posts == 2, "the 503 was retried")
            #expect(events.steps == ["1 form page", "2 POST form"])
            #expect(events.retries == 1)
            // While the POST was served, the run's progress named the step.
            let detail = try #require(seen.progress.first)
            #expect(detail.contains(#""step":2"#) && detail.contains(#""request":"POST form""#), "\(detail)")
            // Both responses are in bronze, with provenance.
            let db = try #require((env.store as? any SQLFactStore)?.database)
            let rows = try await db.execute("SELECT key, url, method FROM raw_artifacts ORDER BY id")
            #expect(rows.map { $0.string("method") } == ["GET", "POST"])
            #expect(rows.last?.string("url")?.hasSuffix("/form token=t-42") == true)
            for key in rows.compactMap({ $0.string("key") }) { #expect(try !env.pipeline.bronze.read(key: key).isEmpty) }
            let stored = try await env.store.queryFacts(FactQuery(sourceID: 5, dimCode: 5, catCodes: [502], years: YearWindow(first: 2023, last: 2023)))
            #expect(stored.map(\.value) == [7])
        }
    }

    @Test("a stable slice that gates before fetching costs one store round trip and no upstream request", arguments: StoreKind.enabled)
    func gateBeforeFetch(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { env, seen in
            let first = try await env.pipeline.run(dataset: "gated-test")
            #expect(first.slices.first?.outcome == .written)
            #expect(seen.dataGets == 1)
            let trips = env.store.statistics.sliceRoundTrips
            let written = env.store.statistics.rowsWritten
            let second = try await env.pipeline.run(dataset: "gated-test")
            #expect(second.status == .complete)
            #expect(second.slices.first?.outcome == .unchanged)
            #expect(second.slices.first?.upstreamRequests == 0)
            #expect(env.store.statistics.sliceRoundTrips - trips == 1, "exactly one store round trip")
            #expect(env.store.statistics.rowsWritten == written)
            #expect(seen.dataGets == 1, "zero upstream requests")
        }
    }
}

/// The test server's URL, known only once it listens.
final class BaseURL: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    var url: String { lock.withLock { value } }
    func set(_ v: String) { lock.withLock { value = v } }
}

final class Events: @unchecked Sendable {
    private let lock = NSLock()
    private var _steps: [String] = []
    private var _retries = 0
    var steps: [String] { lock.withLock { _steps } }
    var retries: Int { lock.withLock { _retries } }
    func add(_ e: IngestEvent) {
        lock.withLock {
            switch e {
            case .step(_, let step, let label): _steps.append("\(step) \(label)")
            case .retrying: _retries += 1
            default: break
            }
        }
    }
}

/// Two test kinds on one seam: `form` (GET a token and a cookie, POST them) and `gated` (ask the store first).
struct TestKind: AdapterKind {
    let name: String
    let base: BaseURL

    func adapter(for dataset: DatasetDefinition, source: Source, registry: Registry, upstream: Upstream) throws(IngestError) -> any DatasetAdapter {
        TestAdapter(dataset: dataset, base: base.url, gated: name == "gated")
    }
}

struct TestAdapter: DatasetAdapter {
    let dataset: DatasetDefinition
    let base: String
    let gated: Bool

    func prepare() -> any Conversation<Bool> { RequestSequence([]) { _ in true } }

    func plan(_ prepared: Bool) throws(IngestError) -> [Slice] {
        [Slice(dataset: dataset.key, dimCode: 5, years: YearWindow(first: 2023, last: 2023))]
    }

    func fetch(_ slice: Slice, run: [Slice], prepared: Bool) throws(IngestError) -> any Conversation<SliceFetch> {
        if gated { return GatedConversation(base: base, keys: SliceKeySet(slice: slice, sourceID: dataset.sourceID)) }
        return FormConversation(base: base)
    }

    func transform(_ responses: [UpstreamResponse], slice: Slice, prepared: Bool) throws(IngestError) -> TransformOutput {
        struct Body: Decodable { var value: Double }
        guard let last = responses.last, let body = try? JSONDecoder().decode(Body.self, from: Data(last.body)) else {
            throw IngestError(.malformedResponse, dataset: dataset.key, slice: slice.label, message: "no value")
        }
        let facts = [Fact(key: FactKey(sourceID: 5, dimCode: 5, catCode: 502, period: .year(2023)), value: body.value)]
        return TransformOutput(facts: facts, totals: SliceTotals(facts: facts, metric: .value), apiTotal: body.value, skippedUnmapped: 0, warnings: [])
    }
}

/// GET the form, then POST its token; the cookie the GET set goes back with the POST (the pipeline's jar).
struct FormConversation: Conversation {
    let base: String
    var responses: [UpstreamResponse] = []

    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<SliceFetch> {
        if case .response(let r) = reply { responses.append(r) }
        switch responses.count {
        case 0:
            return .fetch(UpstreamRequest(url: base + "/form", label: "form page"))
        case 1:
            struct Page: Decodable { var token: String }
            guard let page = try? JSONDecoder().decode(Page.self, from: Data(responses[0].body)) else {
                throw IngestError(.malformedResponse, dataset: "form-test", message: "the form page has no token")
            }
            return .fetch(.form(url: base + "/form", fields: [("token", page.token)], label: "POST form"))
        default:
            return .finish(.fetched(responses))
        }
    }
}

/// Asks the store first: a slice with stored history is stable and fetched no more.
struct GatedConversation: Conversation {
    let base: String
    let keys: SliceKeySet
    var asked = false

    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<SliceFetch> {
        switch reply {
        case nil:
            return .askStore(keys, .value)
        case .stored(let totals):
            if !totals.yearly.isEmpty { return .finish(.unchanged(reason: "stored history is stable")) }
            return .fetch(UpstreamRequest(url: base + "/data", label: "data"))
        case .response(let r):
            return .finish(.fetched([r]))
        }
    }
}

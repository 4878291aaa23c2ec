import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream

/// PxWeb adapters over the shipped catalogue, with hand-made table metadata: pure, no network.
enum PxWebFixtures {
    static func registry() throws -> Registry { try BundledCatalog.registry() }

    /// The adapter of a catalogue dataset, reaching its host at `base` with `options` over the source's own.
    static func adapter(_ key: String, registry: Registry, base: String = "http://127.0.0.1:9", options: AdapterOptions = [:]) throws -> PxWebAdapter {
        guard let ds = registry.dataset(key: key), let source = registry.source(id: ds.sourceID) else { throw FixtureError("no dataset \(key)") }
        var o = source.options
        for (k, v) in options.values { o[k] = v }
        return try PxWebAdapter(dataset: ds, source: source, registry: registry, host: PxWebHost(source: source, baseURL: base, options: o, dataset: key))
    }

    /// Metadata offering these codes, in this order, per variable.
    static func prepared(_ variables: [(String, [String])], updated: String? = nil) -> PxWebPrepared {
        let metadata = PxWebMetadata(title: "test", variables: variables.map { v in
            PxWebMetadata.Variable(code: v.0, label: v.0, values: v.1.map { .init(code: $0, label: "\($0) label") }, isTime: v.0 == "Tid")
        }, updated: updated)
        let years = variables.first { $0.0 == "Tid" }?.1.compactMap { PxWebTime.period($0)?.year } ?? []
        return PxWebPrepared(metadata: metadata, years: years.isEmpty ? nil : YearWindow(first: years.min() ?? 0, last: years.max() ?? 0))
    }

    /// 12058 as the catalogue knows it: every catalogued region, both stored contents codes, ten years.
    static func fires(_ registry: Registry, years: ClosedRange<Int> = 2015...2024) -> PxWebPrepared {
        let regions = ["EAK"] + registry.filters(source: 5, axis: .region).filter { $0.applicableDimCodes.contains(5) }.map(\.nativeCode)
        return prepared([("KOKkommuneregion0000", regions), ("ContentsCode", ["KOSbygningsbrann0000", "KOSboligbranner0000", "KOSbranner1000innb0000"]),
                         ("Tid", years.map(String.init))])
    }

    /// The requests a slice's conversation sends, answering each with an empty body (enough for a request list).
    static func requests(_ conversation: any Conversation<SliceFetch>) throws -> [UpstreamRequest] {
        var c = conversation
        var out: [UpstreamRequest] = []
        var reply: ConversationReply?
        while true {
            switch try c.next(after: reply) {
            case .fetch(let r):
                out.append(r)
                reply = .response(UpstreamResponse(request: r, status: 200, contentType: nil, body: [], isDemo: true, attempts: 1))
            case .askStore:
                reply = .stored(StoredTotals())
            case .finish:
                return out
            }
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

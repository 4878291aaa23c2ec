import Foundation
import Hummingbird
import KildeCore
import KildeStore

/// The read-only `/v1` API: catalogue, assets, facts, kommune indicators and runs. Never writes.
struct ReadAPI<Context: RequestContext> {
    let server: ServerContext

    func routes() -> RouteCollection<Context> {
        let r = RouteCollection(context: Context.self)
        r.get("sources") { req, _ in try await sources(req) }
        r.get("assets") { req, _ in try await assets(req) }
        r.get("assets/{key}/materializations") { req, ctx in try await materializations(req, ctx) }
        r.get("dimensions") { req, _ in try dimensions(req) }
        r.get("categories") { req, _ in try categories(req) }
        r.get("filters") { req, _ in try filters(req) }
        r.get("facts") { req, _ in try await facts(req) }
        r.get("indicators") { req, _ in try await indicators(req) }
        r.get("kommune-indicators") { req, _ in try await kommuneIndicators(req) }
        r.get("compare") { req, _ in try await compare(req) }
        r.get("reconcile") { req, _ in try await reconcile(req) }
        r.get("runs") { req, _ in try await runs(req) }
        r.get("runs/{id}") { req, ctx in try await run(req, ctx) }
        r.get("ingest/status/{id}") { req, ctx in try await run(req, ctx) }
        r.get("openapi.json") { _, _ in try OpenAPIDocument.payload() }
        return r
    }

    func format(_ req: Request, allowed: Set<String> = []) throws -> (QueryParameters, OutputFormat) {
        let p = try QueryParameters(req, allowed: allowed.union(["format"]))
        return (p, try OutputFormat.negotiate(p, req))
    }

    func sources(_ req: Request) async throws -> Payload {
        let (_, fmt) = try format(req)
        let assets = try await server.store.assets()
        let now = Date()
        let out = server.registry.catalog.sources.map { s in
            API.SourceEntry(key: s.key, name: s.name, publisher: s.publisher, attribution: s.attribution, url: s.url, supportsSubyear: s.supportsSubyear,
                            datasets: assets.filter { $0.sourceID == s.id && $0.kind == .dataset }.map { API.Asset($0, registry: server.registry, now: now) })
        }
        return try .negotiated(fmt, json: out, csv: out)
    }

    func assets(_ req: Request) async throws -> Payload {
        let (_, fmt) = try format(req)
        let now = Date()
        let out = try await server.store.assets().map { API.Asset($0, registry: server.registry, now: now) }
        return try .negotiated(fmt, json: out, csv: out)
    }

    /// The recent materialisation records of one asset, newest first.
    func materializations(_ req: Request, _ ctx: Context) async throws -> Payload {
        let (p, fmt) = try format(req, allowed: ["limit"])
        let limit = try p.int("limit", in: 1...1000) ?? 20
        let raw = ctx.parameters.get("key") ?? ""
        let key = raw.removingPercentEncoding ?? raw
        guard key == KommuneIndicatorMart.asset || server.registry.dataset(key: key) != nil else {
            throw APIError.notFound("no asset '\(key)': the assets are the catalogue's datasets and \(KommuneIndicatorMart.asset) (see /v1/assets)")
        }
        let out = try await server.store.materializations(asset: key, limit: limit).map(API.Materialization.init)
        return try .negotiated(fmt, json: out, csv: out)
    }

    func dimensions(_ req: Request) throws -> Payload {
        let (_, fmt) = try format(req)
        let out = server.registry.catalog.dimensions.map { API.DimensionEntry(dimCode: $0.code, name: $0.name, description: $0.description) }
        return try .negotiated(fmt, json: out, csv: out)
    }

    func source(_ p: QueryParameters) throws -> Source? {
        guard let key = try p.one("source") else { return nil }
        guard let s = server.registry.source(key: key) else { throw APIError.invalidParameter("source", "unknown source '\(key)'") }
        return s
    }

    func categories(_ req: Request) throws -> Payload {
        let (p, fmt) = try format(req, allowed: ["source", "dim"])
        let s = try source(p)
        let dim = try p.int("dim", in: 0...Int(Int32.max))
        let out = server.registry.catalog.categories
            .filter { c in s.map { $0.id == c.sourceID } ?? true && dim.map { $0 == c.dimCode } ?? true }
            .map { c in
                API.CategoryEntry(source: server.registry.source(id: c.sourceID)?.key ?? String(c.sourceID), dimCode: c.dimCode, catCode: c.catCode,
                                  name: c.name, nativeName: c.nativeName, standardCode: c.standardCode, nativeOnly: c.isNativeOnly)
            }
        return try .negotiated(fmt, json: out, csv: out)
    }

    func filters(_ req: Request) throws -> Payload {
        let (p, fmt) = try format(req, allowed: ["source", "axis", "dim"])
        let s = try source(p)
        let axis = try p.choice("axis", FilterAxis.self)
        let dim = try p.int("dim", in: 0...Int(Int32.max))
        let out = server.registry.catalog.filters
            .filter { f in (s.map { $0.id == f.sourceID } ?? true) && (axis.map { $0 == f.axis } ?? true) && (dim.map { f.applicableDimCodes.contains($0) } ?? true) }
            .map { f in
                API.FilterEntry(id: f.id, source: server.registry.source(id: f.sourceID)?.key ?? String(f.sourceID), axis: f.axis.rawValue,
                                code: f.nativeCode, name: f.nativeName, standardCode: f.standardCode, dimCodes: f.applicableDimCodes)
            }
        return try .negotiated(fmt, json: out, csv: out)
    }

    func facts(_ req: Request) async throws -> Payload {
        try await server.cached(req) { try await computeFacts(req) }
    }

    func computeFacts(_ req: Request) async throws -> Payload {
        let fr = try FactsRequest(req, registry: server.registry)
        let series = try await server.store.factSeries(fr.query)
        if fr.format == .csv { return .text(CSVEncoding.encode(series.rows.map(API.FactRow.init)), contentType: "text/csv; charset=utf-8") }
        var totals: API.Totals?
        if fr.totalsByCategory || fr.totalsByPeriod {
            let t = try await server.store.factTotals(fr.query)
            totals = API.Totals(byCategory: fr.totalsByCategory ? t.byCategory : nil, byPeriod: fr.totalsByPeriod ? t.byPeriod : nil)
        }
        let attribution = server.registry.attribution(dataset: fr.dataset)
        let body = API.Facts(source: fr.source.key, dataset: fr.dataset.key, dimCode: fr.query.dimCode, granularity: fr.query.granularity.rawValue,
                             metric: fr.query.metric.rawValue, demo: try await server.isDemo(), attribution: attribution,
                             query: API.FactsQueryEcho(filters: Dictionary(uniqueKeysWithValues: fr.query.filters.map { ($0.key.rawValue, $0.value) }),
                                                       categories: fr.query.catCodes, years: fr.query.years),
                             rows: series.rows, truncated: series.truncated, totals: totals)
        return Payload(bytes: ByteBuffer(bytes: body.jsonBytes()), contentType: "application/json")
    }

    func indicators(_ req: Request) async throws -> Payload {
        _ = try QueryParameters(req, allowed: [])
        var out: [API.Indicator] = []
        for i in server.registry.indicators {
            guard let ds = server.registry.dataset(key: i.dataset) else { continue }
            out.append(API.Indicator(key: i.key, dataset: i.dataset, title: i.title, unit: i.unit, attribution: server.registry.attribution(dataset: ds),
                                     default: i.key == server.registry.defaultIndicator?.key,
                                     years: try await server.store.indicatorYears(indicator: i.key)))
        }
        return try .json(out)
    }

    func kommuneIndicators(_ req: Request) async throws -> Payload {
        let (p, fmt) = try format(req, allowed: ["indicator", "year", "normalize"])
        let read = IndicatorRead(server: server)
        let indicator = try read.indicator(try p.one("indicator"))
        let normalize = try p.choice("normalize", Normalization.self) ?? .none
        if normalize != .none && !indicator.isCount {
            throw APIError.invalidParameter("normalize", "indicator '\(indicator.key)' is in \(indicator.unit), not a count: only counts are shown per 1,000 inhabitants")
        }
        let data = try await read.read(indicator, year: try p.int("year", in: 1000...9999), normalize: normalize)
        return try .negotiated(fmt, json: data, csv: data.rows)
    }

    /// One standard code from every source that has it, a series per dataset (the compare page's query).
    func compare(_ req: Request) async throws -> Payload {
        let r = try CompareRequest(req, registry: server.registry, required: true)
        guard let code = r.code else { throw APIError.invalidParameter("category", "'category' is required") }
        return try .json(try await CompareRead(server: server).read(r, code: code))
    }

    /// The slices whose stored atoms do not sum to the upstream's last recorded totals, per source and dataset.
    func reconcile(_ req: Request) async throws -> Payload {
        let p = try QueryParameters(req, allowed: ["source", "dataset"])
        let s = try source(p)
        var scope = ReconcileScope(sourceID: s?.id)
        if let key = try p.one("dataset") {
            let ds = try server.registry.apiDataset(key: key)
            if let s, ds.sourceID != s.id {
                throw APIError.invalidParameter("dataset", "dataset '\(key)' is not a dataset of source '\(s.key)'")
            }
            scope.dataset = ds.key
        }
        return try .json(try await server.store.reconcile(scope))
    }

    func runs(_ req: Request) async throws -> Payload {
        let (p, fmt) = try format(req, allowed: ["limit"])
        let out = try await server.store.runs(limit: try p.int("limit", in: 1...1000) ?? 50).map(API.Run.init)
        return try .negotiated(fmt, json: out, csv: out)
    }

    func run(_ req: Request, _ ctx: Context) async throws -> Payload {
        _ = try QueryParameters(req, allowed: [])
        guard let text = ctx.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.invalidParameter("id", "the run id must be a positive integer")
        }
        guard let run = try await server.store.run(id: id) else { throw APIError.notFound("no run \(id)") }
        return try .json(API.Run(run))
    }
}

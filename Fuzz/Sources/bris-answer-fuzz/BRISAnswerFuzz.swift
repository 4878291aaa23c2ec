import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream

/// Adapters of the shipped catalogue with every slice they plan: a yearly Police question split by building group,
/// and the Police's daily one (a DAY histogram).
let adapters: [(adapter: BRISAdapter, slices: [Slice])] = {
    do {
        let registry = try Registry(catalog: BundledCatalog.load())
        return try ["bris-police-arsak", "bris-police-arsak-daily", "bris-brigade-arsak"].map { key in
            guard let dataset = registry.dataset(key: key), let source = registry.source(id: dataset.sourceID) else { fatalError("no dataset \(key)") }
            let adapter = try BRISAdapter(dataset: dataset, source: source, registry: registry,
                                          endpoint: BRISEndpoint(source: source, baseURL: "http://127.0.0.1:9/bris", options: source.options, dataset: key))
            return (adapter, try adapter.plan(BRISPrepared()))
        }
    } catch { fatalError("the BRIS adapters of the bundled catalogue do not build: \(error)") }
}()

/// One fuzz input: the first two bytes pick an adapter and one of its slices, the rest is BRIS's answer to
/// that slice's POST. A thrown ``IngestError`` is the expected answer to junk; a crash, a hang, a sanitizer report or a
/// fact that could not be stored is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func brisAnswerFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let (adapter, slices) = adapters[Int(data[0]) % adapters.count]
    let slice = slices[Int(data[1]) % slices.count]
    let body = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let response = UpstreamResponse(request: UpstreamRequest(method: "POST", url: "http://127.0.0.1:9/bris/fuzz"), status: 200,
                                    contentType: "application/json", body: body, isDemo: true, attempts: 1)
    guard let output = try? adapter.transform([response], slice: slice, prepared: BRISPrepared()) else { return 0 }
    for fact in output.facts {
        guard let value = fact.value, value.isFinite, value > 0 else { preconditionFailure("a stored count must be a positive number, got \(String(describing: fact.value))") }
        precondition(slice.years?.contains(fact.key.period.year) ?? true, "a fact outside the slice's years")
    }
    return 0
}

import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

@Suite("Daily data only from sources that publish it")
struct BRASKGrainTests {
    /// A daily dataset of a source whose `supports_subyear` is false (the brigades, DSB, SSB) is refused with a typed
    /// error before anything is asked, whatever its kind; BRASK's and the Police's daily datasets are made.
    @Test(arguments: [("bris-brigade-arsak", false), ("bris-dsb-arsak", false), ("ssb-12058", false), ("brask-arsak", true), ("bris-police-arsak", true)])
    func dailyDataset(_ base: String, _ allowed: Bool) async throws {
        var catalog = try BundledCatalog.load()
        var daily = try #require(catalog.datasets.first { $0.key == base })
        daily.key = base + "-test-daily"
        daily.grain = .day
        catalog.datasets.append(daily)
        let registry = try Registry(catalog: catalog)
        let fetcher = HTTPFetcher()
        var caught: IngestError?
        do { _ = try AdapterKinds.builtIn.adapter(for: daily, registry: registry, upstream: Upstream(fetcher: fetcher)) } catch { caught = error }
        try await fetcher.shutdown()
        if allowed {
            #expect(caught == nil, "\(caught.map(String.init(describing:)) ?? "")")
        } else {
            #expect(caught?.code == .grainNotSupported)
            #expect(caught?.description.contains("supports_subyear=false") == true)
        }
    }
}

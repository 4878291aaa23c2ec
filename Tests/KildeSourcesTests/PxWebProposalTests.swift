import Foundation
import KildeTestSupport
import KildeCatalog
import KildeCore
@testable import KildeSources
import Testing

@Suite("kilde add pxweb: proposals from table metadata")
struct PxWebProposalTests {
    let registry: Registry
    init() throws { registry = try BundledCatalog.registry() }

    static func metadata(_ name: String) throws -> PxWebMetadata {
        let url = FixturePaths.shared.appendingPathComponent(name)
        return try PxWebMetadata.parseV2(Array(try Data(contentsOf: url)), dataset: "test")
    }

    /// Statistics Sweden's recorded TAB6471 metadata, proposed onto a catalogue without the shipped SCB table.
    @Test func statisticsSwedensMonthlyTable() throws {
        var catalog = registry.catalog
        catalog.datasets.removeAll { $0.sourceID == 6 }
        let source = try #require(registry.source(key: "scb"))
        var choices = PxWebProposal.Choices()
        choices.categoryVariable = "Alder"
        let p = try PxWebProposal.propose(table: "TAB6471", source: source, metadata: Self.metadata("fixtures/pxweb/pxwebpy/v2-responses/TAB6471_metadata.json"),
                                          into: catalog, choices: choices, verified: true)
        let d = p.dataset
        #expect(d.key == "scb-tab6471")
        #expect(d.grain == .month && d.freshnessMonths == 2)
        #expect(d.options["region"] == "Region" && d.options["national"] == "00" && d.options["category"] == "Alder")
        #expect(d.options["fixed"] == "Kon:TotSa,ContentsCode:000007SF", "the totals are held, the single contents code too")
        #expect(d.attribution == "Källa: SCB, tabell TAB6471")
        #expect(d.title.hasPrefix("Folkmängden per månad"))
        let cats = p.catalog.categories.filter { $0.sourceID == 6 && $0.dimCode == d.dimCode }
        #expect(cats.count == 134)
        #expect(Set(cats.map(\.catCode)).count == 134)
        // The 21 län the catalogue has gain the new dimension; the kommuner are new filters at their level.
        let regions = p.catalog.filters.filter { $0.sourceID == 6 && $0.axis == .region && $0.applicableDimCodes.contains(d.dimCode) }
        #expect(regions.count == 311, "every Region value but the whole country (00)")
        #expect(regions.first { $0.nativeCode == "0114" }?.level == .municipality)
        #expect(regions.first { $0.nativeCode == "0114" }?.standardCode == "01")
        #expect(regions.first { $0.nativeCode == "01" }?.id == 61001, "an existing filter is reused")
        #expect(p.notes.contains { $0.contains("held Kon at 'TotSa'") })
        #expect(p.notes.contains { $0.contains("took Region '00' (Riket) as the whole country") })
        // The proposal loads as a catalogue, and its files read back as the same catalogue.
        let reread = try Catalog(csvFiles: p.catalog.csvFiles)
        #expect(reread == p.catalog)
        _ = try Registry(catalog: reread)
    }

    @Test func aKeyInUseIsRefused() throws {
        let source = try #require(registry.source(key: "scb"))
        var choices = PxWebProposal.Choices()
        choices.key = "scb-TAB6471"
        choices.categoryVariable = "Alder"
        let error = #expect(throws: IngestError.self) {
            try PxWebProposal.propose(table: "TAB6471", source: source, metadata: Self.metadata("fixtures/pxweb/pxwebpy/v2-responses/TAB6471_metadata.json"),
                                      into: registry.catalog, choices: choices, verified: true)
        }
        #expect(error?.description.contains("already has a dataset 'scb-TAB6471'") == true)
    }

    @Test(arguments: [
        ("Halden (2020-2023)", "Halden", 2020, 2023), ("Halden (-2019)", "Halden", nil, 2019), ("Halden (2024-)", "Halden", 2024, nil),
        ("Oslo", "Oslo", nil, nil), ("Nord-Fron (x)", "Nord-Fron (x)", nil, nil), ("Bø (Telemark)", "Bø (Telemark)", nil, nil),
    ] as [(String, String, Int?, Int?)])
    func yearsOfUseFromSSBLabels(_ label: String, _ name: String, _ from: Int?, _ to: Int?) {
        let (n, f, t) = PxWebProposal.yearsOfUse(label)
        #expect(n == name && f == from && t == to)
    }

    @Test(arguments: [("0301", RegionLevel.municipality), ("03", .county), ("EKA03", nil), ("0", nil), ("K_3001", nil)] as [(String, RegionLevel?)])
    func levels(_ code: String, _ level: RegionLevel?) {
        #expect(PxWebProposal.levelOf(code) == level)
    }

    @Test(arguments: [("prosent", "percent"), ("antal", "count"), ("Personer", "count"), ("kr", "kr")] as [(String, String)])
    func units(_ word: String, _ unit: String) {
        #expect(PxWebProposal.unit(word) == unit)
    }

    @Test func theShippedCatalogueRoundTripsThroughItsFiles() throws {
        #expect(try Catalog(csvFiles: registry.catalog.csvFiles) == registry.catalog)
    }
}

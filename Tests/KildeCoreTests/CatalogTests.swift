import Foundation
import KildeCatalog
import KildeCore
import Testing

@Suite("Catalogue")
struct CatalogTests {
    @Test func shippedCatalogueLoadsWithMaps() throws {
        let registry = try BundledCatalog.registry()
        #expect(registry.source(key: "ssb")?.attribution == "Kilde: Statistisk sentralbyrå")
        // Every kommune and fylke code from 2013 on, with its level and years, and five codes outside the kommuner.
        let regions = registry.filters(source: 5, axis: .region)
        let kommuner = regions.filter { $0.level == .municipality }
        #expect(kommuner.count == 838)
        #expect(kommuner.filter { $0.validTo == nil }.count == 357, "the 2024 structure")
        #expect(kommuner.filter { $0.isValid(in: 2021) }.count == 356, "the 2020 structure")
        #expect(kommuner.filter { $0.isValid(in: 2017) }.count == 426)
        #expect(regions.filter { $0.level == .county && $0.applicableDimCodes == [5] }.count == 33, "12058's EKAnn, in 12058 only")
        #expect(regions.filter { $0.level == .county && $0.applicableDimCodes == [100] }.count == 33, "08764's 2-digit fylker, in 08764 only")
        #expect(Set(regions.filter { $0.level == nil }.map(\.nativeCode)) == ["2100", "2111", "2211", "2311", "9999"])
        #expect(regions.count == 838 + 33 + 33 + 5)
        #expect(registry.filter(source: 5, axis: .region, nativeCode: "0301")?.id == 50301)
        #expect(registry.filter(source: 5, axis: .region, nativeCode: "EKA03")?.standardCode == "03")
        #expect(registry.filter(id: 64)?.nativeCode == "KOSboligbranner0000")
        #expect(registry.category(source: 5, dim: 5, nativeAPICode: "KOSboligbranner0000")?.catCode == 501)
        #expect(registry.category(source: 5, dim: 5, catCode: 502)?.nativeAPICode == "KOSbygningsbrann0000")
        #expect(registry.dataset(key: "ssb-12058")?.tableID == "12058")
        // Sources and datasets as data: the adapter kind with its options, the host's limits, units and levels.
        let fires = try #require(registry.dataset(key: "ssb-12058"))
        #expect(fires.adapter == "pxweb" && fires.options["region"] == "KOKkommuneregion0000" && fires.options["national"] == "EAK")
        #expect(fires.grain == .year)
        #expect(registry.attribution(dataset: fires) == "Kilde: Statistisk sentralbyrå, tabell 12058")
        #expect(registry.source(key: "ssb")?.rateLimitPerMinute == 30)
        #expect(registry.source(key: "ssb")?.options["cell_limit"] == "800000")
        #expect(registry.category(source: 5, dim: 100, nativeAPICode: "EUskala60")?.unit == "percent")
        #expect(registry.category(source: 5, dim: 5, catCode: 502)?.verified == false, "12058's codes could not be checked offline")
        #expect(registry.filter(source: 5, axis: .region, nativeCode: "0301")?.level == .municipality)
        #expect(registry.filter(source: 5, axis: .region, nativeCode: "EKA03")?.level == .county)
    }

    @Test("kommune codes carry their years of use, ids stay stable", arguments: [
        ("0101", 50101, nil, 2019, "Halden (-2019)"), ("3001", 53001, 2020, 2023, "Halden (2020-2023)"), ("3101", 53101, 2024, nil, "Halden"),
        ("1662", 51662, nil, 2017, "Klæbu (-2017)"), ("5001", 55001, 2018, nil, "Trondheim - Tråante"), ("0301", 50301, nil, nil, "Oslo"),
        ("EKA30", 59030, 2020, 2023, "Viken (2020-2023)"), ("30", 58030, 2020, 2023, "Viken (2020-2023)"), ("03", 58003, nil, nil, "Oslo"),
    ] as [(String, Int, Int?, Int?, String)])
    func regionYears(_ code: String, _ id: Int, _ from: Int?, _ to: Int?, _ name: String) throws {
        let f = try #require(try BundledCatalog.registry().filter(source: 5, axis: .region, nativeCode: code))
        #expect(f.id == id && f.validFrom == from && f.validTo == to && f.nativeName == name)
    }

    @Test("region tokens: a native code first, unless it does not apply to the dimension; then a standard code", arguments: [
        ("03", 5, [59003, 50301]), ("03", 100, [58003]), ("EKA03", 5, [59003]), ("0301", 100, [50301]), ("01", 5, [59001, 50101, 50104, 50105, 50106, 50111, 50118, 50119, 50121, 50122, 50123, 50124, 50125, 50127, 50128, 50135, 50136, 50137, 50138]),
        ("01", 100, [58001]),
    ] as [(String, Int, [Int])])
    func regionTokens(_ token: String, _ dim: Int, _ ids: [Int]) throws {
        let registry = try BundledCatalog.registry()
        #expect(try registry.filterIDs(tokens: [.region: [token]], source: 5, dimCode: dim)[.region] == ids)
    }

    @Test func aTokenOfAnotherDimensionIsRefusedNamingTheAxis() throws {
        let registry = try BundledCatalog.registry()
        let error = #expect(throws: FilterTokenError.self) { try registry.filterIDs(tokens: [.region: ["EKA03"]], source: 5, dimCode: 100) }
        #expect(error?.axis == .region && error?.description.contains("does not apply to dimension 100") == true)
    }

    @Test func indicatorsComeFromTheCatalogue() throws {
        let registry = try BundledCatalog.registry()
        #expect(registry.defaultIndicator?.key == "ssb-08764")
        #expect(registry.defaultIndicator.flatMap { registry.category(source: 5, dim: 100, catCode: $0.catCode)?.nativeAPICode } == "EUskala60")
        #expect(registry.indicators.map(\.key) == ["ssb-08764", "ssb-08764-eu50", "ssb-08764-oecd60", "ssb-08764-oecd50", "ssb-08764-barn",
                                                   "ssb-12058", "ssb-12058-boliger"])
        #expect(registry.indicator(key: "ssb-12058-boliger")?.filters == [.buildingType: "KOSboligbranner0000"])
        #expect(registry.indicator(key: "ssb-12058")?.isCount == true && registry.indicator(key: "ssb-08764")?.isCount == false)
        #expect(registry.feedsIndicators(dataset: "ssb-12058") && !registry.feedsIndicators(dataset: "nope"))
    }

    @Test func aCatalogueWithoutIndicatorsStillLoads() throws {
        var files = try Self.shippedFiles()
        files["indicators.csv"] = nil
        let registry = try Registry(catalog: Catalog(csvFiles: files))
        #expect(registry.indicators.isEmpty && registry.defaultIndicator == nil)
        #expect(registry.dataset(key: "ssb-12058") != nil)
    }

    @Test("a bad indicator fails at load naming its line", arguments: [
        ("x,nope,1,,count,X,9,false", "unknown dataset 'nope'"),
        ("x,ssb-12058,701,,count,X,9,false", "no stored category 701"),
        ("x,ssb-12058,502,region=0301,count,X,9,false", "'region' is not a filter axis other than region"),
        ("x,ssb-12058,502,building_type=NOPE,count,X,9,false", "no building_type filter 'NOPE'"),
        ("x,ssb-08764,10001,building_type=KOSboligbranner0000,count,X,9,false", "no building_type filter 'KOSboligbranner0000' of source 5 applies to dimension 100"),
        ("x,ssb-12058,502,,count,X,9,true", "a second default"),
    ])
    func badIndicators(_ row: String, _ message: String) throws {
        var files = try Self.shippedFiles()
        files["indicators.csv"]! += row + "\n"
        let error = #expect(throws: CatalogError.self) { try Registry(catalog: Catalog(csvFiles: files)) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(error?.file == "indicators.csv" && error?.line == 9)
    }

    @Test(arguments: [
        ("", [:]),
        ("a=1", ["a": "1"]),
        (" a = 1 ; b=x,y ;", ["a": "1", "b": "x,y"]),
        ("fixed=Kon:TotSa,ContentsCode:000007SF", ["fixed": "Kon:TotSa,ContentsCode:000007SF"]),
        ("url=https://x.example/a=b", ["url": "https://x.example/a=b"]),
    ] as [(String, [String: String])])
    func optionsParse(_ text: String, _ expected: [String: String]) throws {
        let o = try AdapterOptions(parsing: text)
        #expect(o.values == expected)
        #expect(try AdapterOptions(parsing: o.description) == o, "the catalogue form round-trips")
    }

    @Test func optionLists() throws {
        let o = try AdapterOptions(parsing: "fixed=Kon:TotSa, ContentsCode:000007SF,;empty=")
        #expect(o.list("fixed") == ["Kon:TotSa", "ContentsCode:000007SF"])
        #expect(o["empty"] == nil && o.list("empty").isEmpty && o.list("none").isEmpty)
    }

    @Test func addingACategoryIsADataChange() throws {
        var files = try Self.shippedFiles()
        files["categories.csv"]! += "5,5,503,KOSfritidsbolig0000,Branner i fritidsboliger,Fritidsboligbranner,,3,false,count,false\n"
        let registry = try Registry(catalog: Catalog(csvFiles: files))
        #expect(registry.category(source: 5, dim: 5, nativeAPICode: "KOSfritidsbolig0000")?.catCode == 503)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var file: String
        var append: String
        var message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        BadCase(file: "categories.csv", append: "9,5,501,X,Y,Z,,1,false,,\n", message: "unknown source_id 9"),
        BadCase(file: "filters.csv", append: "70,5,colour,red,Red,,5,1,,,\n", message: "unknown axis 'colour'"),
        BadCase(file: "filters.csv", append: "71,5,region,0301,Oslo again,03,5,1,municipality,,\n", message: "duplicate native_code '0301'"),
        BadCase(file: "datasets.csv", append: "x,5,a,1,\"unterminated,5,* * * * *,1,true\n", message: "unterminated quoted field"),
        BadCase(file: "dimensions.csv", append: "8,Extra\n", message: "expected 3 fields, found 2"),
        BadCase(file: "filters.csv", append: "72,5,region,9999,Nowhere,99,5;x,1,municipality,,\n", message: "'x' is not an integer"),
        BadCase(file: "filters.csv", append: "73,5,region,9998,Nowhere,99,5,1,village,,\n", message: "'village' is not one of country, county, municipality"),
        BadCase(file: "datasets.csv", append: "y,5,pxweb,1,Y,5,* * * * *,1,false,region,year,\n", message: "option 'region' is not key=value"),
        BadCase(file: "datasets.csv", append: "z,5,pxweb,1,Z,5,* * * * *,1,false,a=1;a=2,year,\n", message: "option 'a' is given twice"),
        BadCase(file: "datasets.csv", append: "w,5,pxweb,1,W,5,* * * * *,1,false,,fortnight,\n", message: "'fortnight' is not one of year, quarter, month, week, day"),
    ])
    func badRowsNameFileAndCause(_ c: BadCase) throws {
        var files = try Self.shippedFiles()
        files[c.file]! += c.append
        let error = #expect(throws: CatalogError.self) { try Registry(catalog: Catalog(csvFiles: files)) }
        #expect(error?.description.contains(c.message) == true, "\(String(describing: error))")
        #expect(error?.file == c.file)
    }

    static func shippedFiles() throws -> [String: String] {
        let dir = try #require(BundledCatalog.directory)
        var out: [String: String] = [:]
        for name in Catalog.fileNames {
            out[name] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }

    @Test(arguments: [
        ("a,b\n1,2\n", [["1", "2"]]),
        ("a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n", [["x, y", "he said \"hi\""]]),
        ("a,b\n\"multi\nline\",2\n\n", [["multi\nline", "2"]]),
        ("a\næøå\n", [["æøå"]]),
    ])
    func csvParsing(_ text: String, _ rows: [[String]]) throws {
        #expect(try CSVTable(name: "t.csv", text: text).rows == rows)
    }
}

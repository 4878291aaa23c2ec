import KildeCore

/// The generated demo tables, built from the catalogue's region filters: every kommune and fylke code with its years
/// of use, so each year is answered in the codes of its own year (and demo data crosses the 2018, 2020 and 2024
/// structure changes), plus the codes outside the kommuner (Svalbard, "unknown").
public struct SimulatedTables: Sendable {
    public let tables: [String: SimulatedTable]

    /// Years the demo tables cover.
    public static let years12058 = 2015...2024
    public static let years08764 = 2015...2024

    /// The cells the "revised" mode changes: kommuner whose hash is divisible by 10, in the last two years.
    static func isRevised(_ kommune: String, _ year: Int, last: Int) -> Bool {
        year >= last - 1 && stableHash("revise", kommune) % 10 == 0
    }

    /// - Parameters:
    ///   - registry: the catalogue; its region filters of the tables' source are the tables' regions.
    ///   - seed: the kommune seed, so demo values scale like real ones: inhabitants per kommune, and for a code of an
    ///     earlier structure its share of the kommune it became (codes it cannot place count as 5,000 inhabitants).
    public init(registry: Registry, seed: KommuneSeed?) {
        let population = Self.population(seed)
        let regions = registry.filters(source: 5, axis: .region)
        let kommuner = regions.filter { $0.level == .municipality }
        // Codes outside the kommune division: in each table, and in the whole country's sum, not in a county's.
        let others = regions.filter { $0.level == nil }
        let eka = regions.filter { $0.level == .county && $0.applicableDimCodes.contains(5) }
        let fylker = regions.filter { $0.level == .county && $0.applicableDimCodes.contains(100) }
        let validity = Dictionary((kommuner + others + eka + fylker).map { ($0.nativeCode, $0) }, uniquingKeysWith: { a, _ in a })
        let inUse: @Sendable (String, Int) -> Bool = { code, year in validity[code]?.isValid(in: year) ?? true }
        let countyOf = Dictionary((eka + fylker).map { ($0.nativeCode, $0.standardCode ?? "") }, uniquingKeysWith: { a, _ in a })
        let members: @Sendable (String, String, Int) -> [String]? = { national, code, year in
            if code == national { return (kommuner + others).filter { $0.isValid(in: year) }.map(\.nativeCode) }
            guard let county = countyOf[code] else { return nil }
            return kommuner.filter { $0.standardCode == county && $0.isValid(in: year) }.map(\.nativeCode)
        }
        func labels(_ filters: [Filter]) -> [(String, String)] { filters.map { ($0.nativeCode, $0.nativeName) } }

        // 12058: fires by kommune, with KOSTRA's county aggregates EKAnn.
        let last12058 = Self.years12058.upperBound
        let fires = SimulatedTable(
            id: "12058", title: "DEMO DATA — 12058: Branner i bygninger, etter region, statistikkvariabel og år (simulert)",
            region: .init(code: "KOKkommuneregion0000", label: "region",
                          values: [("EAK", "Hele landet")] + labels(eka) + labels(kommuner) + labels(others)),
            contents: .init(code: "ContentsCode", label: "statistikkvariabel", values: [
                ("KOSbygningsbrann0000", "Bygningsbranner"), ("KOSboligbranner0000", "Branner i boliger"),
                ("KOSbranner1000innb0000", "Bygningsbranner per 1000 innbyggere"),
            ]),
            time: .init(code: "Tid", label: "år", values: Self.years12058.map { (String($0), String($0)) }),
            members: { members("EAK", $0, $1) }, inUse: inUse,
            generator: { kommune, contents, year, revised in
                let h = stableHash("12058", kommune)
                // A handful of kommune-years are suppressed, as SSB does for small counts.
                if stableHash("suppress", kommune, String(year)) % 97 == 0 { return nil }
                // About one building fire per 2,500 inhabitants a year, ±30% per kommune and ±10% per year.
                let inhabitants = Double(population[kommune] ?? 5000)
                let base = inhabitants / 2500 * (0.7 + Double(h % 61) / 100)
                let swing = 0.9 + Double(stableHash("y", kommune, String(year)) % 21) / 100
                var buildings = max(0, (base * swing).rounded())
                if revised && SimulatedTables.isRevised(kommune, year, last: last12058) { buildings += 2 }
                switch contents {
                case "KOSbygningsbrann0000": return buildings
                case "KOSboligbranner0000": return (buildings * 0.6).rounded(.down)
                case "KOSbranner1000innb0000": return (buildings / max(1, inhabitants) * 1000 * 100).rounded() / 100
                default: return nil
                }
            },
            rates: ["KOSbranner1000innb0000"])

        // 08764: persons under 18 by region, and the shares of them in low-income households on the EU and OECD
        // scales (50 and 60 % of the median), as SSB's table has them; `0` is the whole country, `nn` a fylke.
        let last08764 = Self.years08764.upperBound
        let shares = ["EUskala50": -3.5, "EUskala60": 0.0, "OECDskala50": -5.0, "OECDskala60": -1.5]
        let children = SimulatedTable(
            id: "08764", title: "DEMO DATA — 08764: Personer under 18 år i lavinntektshusholdninger, etter region, statistikkvariabel og år (simulert)",
            region: .init(code: "Region", label: "region", values: [("0", "Hele landet")] + labels(fylker) + labels(kommuner) + labels(others)),
            contents: .init(code: "ContentsCode", label: "statistikkvariabel", values: [
                ("Personer", "Personer under 18 år"),
                ("EUskala50", "Andel under 50 prosent av medianinntekten (EU-skala)"),
                ("EUskala60", "Andel under 60 prosent av medianinntekten (EU-skala)"),
                ("OECDskala50", "Andel under 50 prosent av medianinntekten (OECD-skala)"),
                ("OECDskala60", "Andel under 60 prosent av medianinntekten (OECD-skala)"),
            ], units: ["Personer": "personer", "EUskala50": "prosent", "EUskala60": "prosent", "OECDskala50": "prosent", "OECDskala60": "prosent"]),
            time: .init(code: "Tid", label: "år", values: Self.years08764.map { (String($0), String($0)) }),
            members: { members("0", $0, $1) }, inUse: inUse,
            generator: { kommune, contents, year, revised in
                let h = stableHash("08764", kommune)
                // Children are about a fifth of the population; the low-income share varies by kommune and year.
                let children = Double(population[kommune] ?? 5000) * 0.21
                var share = 4 + Double(h % 150) / 10 + Double(year - 2015) * 0.1
                if revised && SimulatedTables.isRevised(kommune, year, last: last08764) { share += 0.5 }
                if contents == "Personer" { return children.rounded() }
                guard let offset = shares[contents] else { return nil }
                return (max(0.5, share + offset) * 10).rounded() / 10
            },
            rates: Set(shares.keys))
        tables = ["12058": fires, "08764": children]
    }

    /// Inhabitants per kommune code: the seed's, the latest structure's first; a code of an earlier structure gets an
    /// equal share of each kommune its area went to, among the codes that went there in its last year.
    static func population(_ seed: KommuneSeed?) -> [String: Int] {
        guard let seed else { return [:] }
        var out: [String: Int] = [:]
        var byStructure: [Int: [String: Int]] = [:]
        for k in seed.kommuner.sorted(by: { $0.structure > $1.structure }) {
            guard let p = k.population else { continue }
            byStructure[k.structure, default: [:]][k.number] = p
            if out[k.number] == nil { out[k.number] = p }
        }
        for row in seed.crosswalk where out[row.code] == nil {
            let year = row.validTo ?? row.structure
            let share = seed.crosswalk.filter { $0.structure == row.structure && $0.code == row.code }.compactMap { t -> Int? in
                let siblings = seed.crosswalk.filter { $0.structure == t.structure && $0.target == t.target && $0.isValid(in: year) }.count
                return byStructure[t.structure]?[t.target].map { $0 / max(1, siblings) }
            }.reduce(0, +)
            if share > 0 { out[row.code] = share }
        }
        return out
    }
}

import KildeCore

/// The generated demo tables, built from the catalogue's kommune list (2024 structure).
public struct SimulatedTables: Sendable {
    public let tables: [String: SimulatedTable]

    /// Years the demo tables cover.
    public static let years12058 = 2015...2024
    public static let years08764 = 2015...2023

    /// The cells the "revised" mode changes: kommuner whose hash is divisible by 10, in the last two years.
    static func isRevised(_ kommune: String, _ year: Int, last: Int) -> Bool {
        year >= last - 1 && stableHash("revise", kommune) % 10 == 0
    }

    /// - Parameter population: inhabitants per kommune number, so demo values scale like real ones
    ///   (kommuner missing from it count as 5,000 inhabitants).
    public init(registry: Registry, population: [String: Int] = [:]) {
        let regions = registry.filters(source: 5, axis: .region)
        let kommuner = regions.filter { !$0.nativeCode.hasPrefix("EKA") }
        let counties = regions.filter { $0.nativeCode.hasPrefix("EKA") }
        var members: [String: [String]] = [:]
        for c in counties {
            members[c.nativeCode] = kommuner.filter { $0.nativeCode.prefix(2) == c.nativeCode.suffix(2) }.map(\.nativeCode)
        }
        let allKommuner = kommuner.map(\.nativeCode)

        // 12058: fires by kommune, with a historic kommune (1850 Tysfjord, merged 2020) the catalogue lacks.
        var m12058 = members
        m12058["EAK"] = allKommuner
        let regionValues12058 = [("EAK", "Hele landet")] + counties.map { ($0.nativeCode, $0.nativeName) }
            + kommuner.map { ($0.nativeCode, $0.nativeName) } + [("1850", "Tysfjord (-2019)")]
        let last12058 = Self.years12058.upperBound
        let fires = SimulatedTable(
            id: "12058", title: "DEMO DATA — 12058: Branner i bygninger, etter region, statistikkvariabel og år (simulert)",
            region: .init(code: "KOKkommuneregion0000", label: "region", values: regionValues12058),
            contents: .init(code: "ContentsCode", label: "statistikkvariabel", values: [
                ("KOSbygningsbrann0000", "Bygningsbranner"), ("KOSboligbranner0000", "Branner i boliger"),
                ("KOSbranner1000innb0000", "Bygningsbranner per 1000 innbyggere"),
            ]),
            time: .init(code: "Tid", label: "år", values: Self.years12058.map { (String($0), String($0)) }),
            members: m12058,
            generator: { kommune, contents, year, revised in
                if kommune == "1850" && year >= 2020 { return nil }
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

        // 08764: persons under 18 by kommune, and the shares of them in low-income households on the EU and OECD
        // scales (50 and 60 % of the median), as SSB's table has them; `0` is the whole country.
        var m08764 = members.filter { _ in false }
        m08764["0"] = allKommuner
        let last08764 = Self.years08764.upperBound
        let shares = ["EUskala50": -3.5, "EUskala60": 0.0, "OECDskala50": -5.0, "OECDskala60": -1.5]
        let children = SimulatedTable(
            id: "08764", title: "DEMO DATA — 08764: Personer under 18 år i lavinntektshusholdninger, etter region, statistikkvariabel og år (simulert)",
            region: .init(code: "Region", label: "region", values: [("0", "Hele landet")] + kommuner.map { ($0.nativeCode, $0.nativeName) }),
            contents: .init(code: "ContentsCode", label: "statistikkvariabel", values: [
                ("Personer", "Personer under 18 år"),
                ("EUskala50", "Andel under 50 prosent av medianinntekten (EU-skala)"),
                ("EUskala60", "Andel under 60 prosent av medianinntekten (EU-skala)"),
                ("OECDskala50", "Andel under 50 prosent av medianinntekten (OECD-skala)"),
                ("OECDskala60", "Andel under 60 prosent av medianinntekten (OECD-skala)"),
            ], units: ["Personer": "personer", "EUskala50": "prosent", "EUskala60": "prosent", "OECDskala50": "prosent", "OECDskala60": "prosent"]),
            time: .init(code: "Tid", label: "år", values: Self.years08764.map { (String($0), String($0)) }),
            members: m08764,
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
}

import KildeCore

/// The simulated BRIS's mission counts: a pure function of (question, answer label, mission type, building group,
/// day, revised), so every grain is a sum of days (days sum to months sum to years) and tests can compute exactly
/// what any request answers and which cells the revised mode changes. DEMO DATA: generated, not BRIS's.
public struct BRISGenerator: Sendable {
    /// Years with missions.
    public static let years = 2016...2025

    /// The building "group" of missions outside any building (a car, a forest): counted when a request names no
    /// building types, never when it names some.
    static let outsideBuildings = "-"

    public let vocabulary: BRISVocabulary

    public init(vocabulary: BRISVocabulary = .standard) {
        self.vocabulary = vocabulary
    }

    /// Missions per day from `first` through `last` (one count per day, in order) answering `label` to `question`,
    /// over mission types (`nil`: all the reporter's) and building groups (`nil`: all, missions outside buildings
    /// included).
    public func daily(question q: BRISVocabulary.Question, label: String, missionTypes: [String]?, groups: [String]?,
                      from first: CivilDate, through last: CivilDate, revised: Bool, moved: [CivilDate: Int] = [:]) -> [Int] {
        let start = first.daysSinceEpoch, end = last.daysSinceEpoch
        guard end >= start, let reporter = vocabulary.reporter(q.source) else { return [] }
        var out = [Int](repeating: 0, count: end - start + 1)
        let groups = groups ?? (reporter.buildingGroups + [Self.outsideBuildings])
        // Days outside the years with missions stay zero (the answer still pads them).
        let lo = max(start, CivilDate(year: Self.years.lowerBound, month: 1, day: 1)?.daysSinceEpoch ?? start)
        let hi = min(end, CivilDate(year: Self.years.upperBound, month: 12, day: 31)?.daysSinceEpoch ?? end)
        guard lo <= hi else { return out }
        for m in missionTypes ?? reporter.missionTypes {
            for g in groups {
                let seed = stableHash("bris", String(q.id), label, m, g)
                let perDay = Self.yearlyRate(seed: seed, missionType: m, group: g) / 365
                for d in lo...hi {
                    // floor(rate + u) with u uniform in [0, 1) has the rate as its mean: small rates give mostly empty days.
                    let u = Double(Self.mix(seed ^ UInt64(bitPattern: Int64(d))) % 1_000_000) / 1_000_000
                    out[d - start] += Int(perDay + u)
                }
            }
        }
        let combinations = (missionTypes ?? reporter.missionTypes).count * groups.count
        // Days a test moved: every label of the day gains (or loses, never below zero) delta per combination asked for.
        for (day, delta) in moved where (lo...hi).contains(day.daysSinceEpoch) {
            out[day.daysSinceEpoch - start] = max(0, out[day.daysSinceEpoch - start] + delta * combinations)
        }
        if revised {
            // Late reports: each revised day gains one mission per mission type and building group asked for.
            for d in lo...hi where Self.isRevised(question: q.id, label: label, day: CivilDate(daysSinceEpoch: d)) {
                out[d - start] += combinations
            }
        }
        return out
    }

    /// A few to a few hundred missions a year, weighted so dwellings and some mission types dominate.
    static func yearlyRate(seed: UInt64, missionType: String, group: String) -> Double {
        let base = 4 + Double(seed % 160)
        let missionWeight = [1.0, 0.6, 0.35, 0.45][Int(stableHash("m", missionType) % 4)]
        let groupWeight = group == "0" ? 1.0 : group == outsideBuildings ? 0.5 : 0.08 + Double(stableHash("g", group) % 20) / 100
        return base * missionWeight * groupWeight
    }

    /// The days the revised mode raises (late reports): a few days of the last year, for about a third of the answer
    /// labels of each question.
    public static func isRevised(question: Int, label: String, day: CivilDate) -> Bool {
        guard day.year == years.upperBound else { return false }
        let labelSeed = stableHash("bris-revise", String(question), label)
        return labelSeed % 3 == 0 && mix(labelSeed ^ UInt64(bitPattern: Int64(day.daysSinceEpoch))) % 60 == 0
    }

    /// SplitMix64's finaliser: one day's draw from a series seed, far cheaper than hashing strings per day.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
import KildeCore

/// One simulated insured fire: its day and the value of every drawn dimension (form values), and its damage in
/// thousands of NOK.
public struct BRASKFire: Sendable, Hashable {
    public var date: CivilDate
    public var fireType: String
    public var sector: String
    public var buildingAge: String
    public var cause: String
    public var source: String
    /// Damage in thousands of NOK.
    public var damage: Int

    /// The fire's value of a dimension, as the form names it (`2024`, `3`, `17`, a cause id, …).
    public func value(_ d: BRASKVocabulary.Dimension) -> String {
        switch d {
        case .year: String(date.year)
        case .month: String(date.month)
        case .day: String(date.day)
        case .cause: cause
        case .source: source
        case .fireType: fireType
        case .sector: sector
        case .buildingAge: buildingAge
        }
    }
}

/// The simulated BRASK register: every fire of every day, drawn from a seed, so the same seed always gives the same
/// fires and every table (a year, a month, a day) is a sum over the same fires — days sum to months, months to
/// years, by construction. Impossible days (30 February) never have fires, because they are never days.
public struct BRASKFires: Sendable {
    /// The years with data; a query for any other year fails with HTTP 500, as BRASK does.
    public var years: ClosedRange<Int>
    public var seed: UInt64

    public init(years: ClosedRange<Int> = 2015...2025, seed: UInt64 = 0xB1A5_C0DE) {
        self.years = years
        self.seed = seed
    }

    /// How many fires a day has before revision: about 60, more in winter, varying from day to day.
    public func baseCount(on date: CivilDate) -> Int {
        guard years.contains(date.year) else { return 0 }
        let dayOfYear = Double((date.month - 1) * 31 + date.day)
        let season = 60 + 25 * cos(2 * Double.pi * (dayOfYear - 15) / 372)
        return Int(season * (0.7 + 0.6 * unit(hash(date, 0xD0, 0))))
    }

    /// The fires of a day, with `revision` fires more (or, when negative, fewer) than the day's base count.
    public func fires(on date: CivilDate, revision: Int = 0) -> [BRASKFire] {
        let count = max(0, baseCount(on: date) + revision)
        guard years.contains(date.year) else { return [] }
        return (0..<count).map { fire(on: date, index: $0) }
    }

    /// The `index`th fire of a day: each attribute its own draw, so adding fires to a day never changes the others.
    func fire(on date: CivilDate, index: Int) -> BRASKFire {
        func pick(_ options: [BRASKVocabulary.Option], _ salt: UInt64) -> String {
            let total = options.reduce(0) { $0 + $1.weight }
            var r = Int(hash(date, salt, index) % UInt64(total))
            for o in options {
                if r < o.weight { return o.value }
                r -= o.weight
            }
            return options.last?.value ?? ""
        }
        let fireType = pick(BRASKVocabulary.fireTypes, 1)
        // Damage is heavy-tailed: most fires cost tens of thousands, a few millions; cold fires (no flame) cost less.
        let scale = fireType == "1" ? 7.5 : 5.0
        let damage = 5 + Int(exp(unit(hash(date, 7, index)) * scale) * (0.5 + unit(hash(date, 8, index))))
        return BRASKFire(date: date, fireType: fireType, sector: pick(BRASKVocabulary.sectors, 2), buildingAge: pick(BRASKVocabulary.buildingAges, 3),
                         cause: pick(BRASKVocabulary.causes, 4), source: pick(BRASKVocabulary.sources, 5), damage: damage)
    }

    /// SplitMix64's finaliser chained over the seed, the date, a salt and an index: cheap, well mixed, and the same
    /// on every platform (unlike `Hasher`, which is seeded per process).
    func hash(_ date: CivilDate, _ salt: UInt64, _ index: Int) -> UInt64 {
        let day = UInt64(date.year) << 16 | UInt64(date.month) << 8 | UInt64(date.day)
        return Self.mix(Self.mix(Self.mix(seed ^ day) ^ salt) ^ UInt64(truncatingIfNeeded: index))
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var x = value &+ 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }

    func unit(_ h: UInt64) -> Double { Double(h >> 11) / Double(1 << 53) }
}

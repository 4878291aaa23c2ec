import KildeCore

/// PxWeb time codes as Kilde periods: `2024` a year; `2024M03` a month, `2024K2`/`2024Q2` a quarter (both stored
/// in `fact_daily`, dated by the period's first day).
public enum PxWebTime {
    /// The period of a time code, or `nil` for a code of no known form (e.g. a week such as `2014U30`).
    public static func period(_ code: String) -> Period? {
        let chars = Array(code.utf8)
        guard chars.count >= 4, let year = Int(String(decoding: chars[0..<4], as: UTF8.self)), year > 1800, year < 3000 else { return nil }
        if chars.count == 4 { return .year(year) }
        let tag = chars[4]
        guard let n = Int(String(decoding: chars[5...], as: UTF8.self)) else { return nil }
        switch tag {
        case UInt8(ascii: "M") where chars.count == 7:
            return CivilDate(year: year, month: n, day: 1).map(Period.day)
        case UInt8(ascii: "K"), UInt8(ascii: "Q"):
            guard (1...4).contains(n), chars.count == 6 else { return nil }
            return CivilDate(year: year, month: (n - 1) * 3 + 1, day: 1).map(Period.day)
        default:
            return nil
        }
    }

    /// The grain of a time code's period, when it has one.
    public static func grain(_ code: String) -> TimeGrain? {
        guard period(code) != nil else { return nil }
        if code.utf8.count == 4 { return .year }
        return code.contains("M") ? .month : .quarter
    }
}

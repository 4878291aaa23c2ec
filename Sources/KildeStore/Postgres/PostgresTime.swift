import KildeCore

/// Formats PostgreSQL's binary `timestamptz` and `date` values as the strings the embedded store returns.
///
/// Kilde writes ISO-8601 UTC with milliseconds (`2026-11-27T16:46:24.123Z`, see ``Timestamp``); PostgreSQL keeps
/// microseconds since 2000-01-01. Integer arithmetic gives back exactly the string that was written, which a
/// round trip through `Date` (a floating-point number of seconds) would not always do.
enum PostgresTime {
    /// Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
    static let epochDays = 10_957

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`; six fractional digits only if the value has sub-millisecond precision.
    static func iso8601(microsecondsSince2000 micros: Int64) -> String {
        if micros == .max { return "infinity" }
        if micros == .min { return "-infinity" }
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        let time = pad(Int(seconds / 3600), 2) + ":" + pad(Int(seconds / 60 % 60), 2) + ":" + pad(Int(seconds % 60), 2)
        let frac = fraction % 1000 == 0 ? pad(Int(fraction / 1000), 3) : pad(Int(fraction), 6)
        return date(daysSince2000: Int(days)) + "T" + time + "." + frac + "Z"
    }

    /// `YYYY-MM-DD` (proleptic Gregorian).
    static func date(daysSince2000: Int) -> String {
        if daysSince2000 == Int(Int32.max) { return "infinity" }
        if daysSince2000 == Int(Int32.min) { return "-infinity" }
        let c = CivilDate(daysSinceEpoch: daysSince2000 + epochDays)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

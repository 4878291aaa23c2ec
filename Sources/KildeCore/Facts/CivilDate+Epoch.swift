extension CivilDate {
    /// Milliseconds in a UTC day.
    public static let millisecondsPerDay: Int64 = 86_400_000

    /// The date `days` after 1970-01-01 (before it when negative), in the proleptic Gregorian calendar.
    ///
    /// Integer arithmetic (Howard Hinnant's `civil_from_days`), so upstream epoch keys map to dates without a
    /// calendar, a time zone or Foundation.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = doy - (153 * mp + 2) / 5 + 1
    }

    /// Days from 1970-01-01 to this date (negative before it).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The UTC midnight that starts this date, in milliseconds since the epoch.
    public var epochMilliseconds: Int64 { Int64(daysSinceEpoch) * Self.millisecondsPerDay }

    /// The UTC date of an instant in milliseconds since the epoch, and whether the instant is that date's midnight.
    public static func utc(epochMilliseconds ms: Int64) -> (date: CivilDate, isMidnight: Bool) {
        let (days, rest) = ms.quotientAndRemainder(dividingBy: millisecondsPerDay)
        // Instants before 1970 have a negative remainder: they belong to the day before the quotient's.
        let day = rest < 0 ? days - 1 : days
        return (CivilDate(daysSinceEpoch: Int(day)), rest == 0)
    }

    /// The next calendar day.
    public var next: CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + 1) }
}

import Foundation
import KildeCore
import Testing

@Suite("Civil dates from UTC epoch keys")
struct CivilDateEpochTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var ms: Int64
        var date: String
        var midnight: Bool
        var testDescription: String { "\(ms) → \(date)" }
    }

    static let cases: [Case] = [
        Case(ms: 0, date: "1970-01-01", midnight: true),
        Case(ms: 1_451_606_400_000, date: "2016-01-01", midnight: true),
        Case(ms: 1_483_228_800_000, date: "2017-01-01", midnight: true),
        Case(ms: 951_782_400_000, date: "2000-02-29", midnight: true),
        // Oslo's midnight on New Year is 23:00 UTC the day before: still the old year in UTC, and not a midnight.
        Case(ms: 1_451_602_800_000, date: "2015-12-31", midnight: false),
        Case(ms: -1, date: "1969-12-31", midnight: false),
        Case(ms: -86_400_000, date: "1969-12-31", midnight: true),
        Case(ms: 4_102_444_800_000, date: "2100-01-01", midnight: true),
    ]

    @Test(arguments: cases)
    func utc(_ c: Case) {
        let (date, midnight) = CivilDate.utc(epochMilliseconds: c.ms)
        #expect(date.description == c.date)
        #expect(midnight == c.midnight)
    }

    /// Against Foundation's Gregorian calendar in UTC, an independent implementation, every 37th day over 1900–2200.
    @Test func agreesWithFoundationAndRoundTrips() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: -25_567, through: 84_000, by: 37) {
            let d = CivilDate(daysSinceEpoch: days)
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect([d.year, d.month, d.day] == [parts.year, parts.month, parts.day], "day \(days)")
            #expect(d.daysSinceEpoch == days)
            #expect(CivilDate(year: d.year, month: d.month, day: d.day) == d, "a valid date")
        }
    }

    @Test func nextCrossesMonthsYearsAndLeapDays() {
        #expect(CivilDate(year: 2024, month: 2, day: 28)?.next.description == "2024-02-29")
        #expect(CivilDate(year: 2023, month: 2, day: 28)?.next.description == "2023-03-01")
        #expect(CivilDate(year: 2025, month: 12, day: 31)?.next.description == "2026-01-01")
    }
}

import Foundation
import KildeCatalog
import KildeCore
import Testing

/// Cron schedules as the catalogue writes them, and when they fire next in Oslo's time zone.
@Suite("Cron schedules")
struct CronScheduleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var after: String
        /// `nil`: never fires.
        var next: String?
        var testDescription: String { "\(expression) after \(after)" }
    }

    static let oslo = TimeZone(identifier: "Europe/Oslo")

    static let cases: [Case] = [
        Case(expression: "0 4 15 3 *", after: "2026-12-01T20:00:00Z", next: "2027-03-15T03:00:00Z"),  // CET, UTC+1
        Case(expression: "0 5 * * *", after: "2026-12-01T20:00:00Z", next: "2026-12-02T04:00:00Z"),
        Case(expression: "0 5 * * *", after: "2026-06-01T02:59:00Z", next: "2026-06-01T03:00:00Z"),  // CEST, UTC+2
        Case(expression: "0 6 * * 1", after: "2026-12-01T20:00:00Z", next: "2026-12-07T05:00:00Z"),  // the next Monday
        Case(expression: "0 6 * * 7", after: "2026-12-01T20:00:00Z", next: "2026-12-06T05:00:00Z"),  // 7 is Sunday
        Case(expression: "*/15 * * * *", after: "2026-12-01T20:07:00Z", next: "2026-12-01T20:15:00Z"),
        Case(expression: "*/15 * * * *", after: "2026-12-01T20:15:00Z", next: "2026-12-01T20:30:00Z"),  // strictly after
        Case(expression: "0 0 1 * 1", after: "2026-12-01T20:00:00Z", next: "2026-12-06T23:00:00Z"),  // day 1 or a Monday
        Case(expression: "0 9-17/4 * * *", after: "2026-12-01T09:30:00Z", next: "2026-12-01T12:00:00Z"),  // 9, 13, 17 local
        Case(expression: "30 2 * * *", after: "2026-03-28T12:00:00Z", next: "2026-03-29T01:30:00Z"),  // 02:30 skipped: 03:30
        Case(expression: "0 0 30 2 *", after: "2026-12-01T20:00:00Z", next: nil),
    ]

    @Test(arguments: cases)
    func next(_ c: Case) throws {
        let f = ISO8601DateFormatter()
        let after = try #require(f.date(from: c.after)), zone = try #require(Self.oslo)
        let next = try CronSchedule(c.expression).next(after: after, in: zone)
        #expect(next.map(f.string(from:)) == c.next)
    }

    @Test(arguments: [
        ("0 4 15 3", "it has 4 fields, not 5"),
        ("60 * * * *", "minute '60' is outside its range (0–59)"),
        ("a * * * *", "minute 'a' is not *, a number, a range, a list or a step (0–59)"),
        ("*/0 * * * *", "minute '*/0' has a step that is not a positive number (0–59)"),
        ("0 0 * 13 *", "month '13' is outside its range (1–12)"),
        ("5-1 * * * *", "minute '5-1' is outside its range (0–59)"),
    ])
    func refused(_ expression: String, _ reason: String) {
        #expect(throws: CronSchedule.ParseError(expression: expression, reason: reason)) { try CronSchedule(expression) }
    }

    /// Every schedule the shipped catalogue names parses and fires within a year.
    @Test func catalogueSchedulesFire() throws {
        let catalog = try BundledCatalog.load()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        for ds in catalog.datasets {
            let next = try #require(try ds.nextScheduledRun(after: now), "\(ds.key): \(ds.schedule)")
            #expect(next > now && next.timeIntervalSince(now) <= 366 * 86_400, "\(ds.key)")
        }
    }
}

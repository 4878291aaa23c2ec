import Foundation

/// A cron schedule (the catalogue's `schedule` column) and when it fires next, in a named time zone.
///
/// Five fields — minute (0–59), hour (0–23), day of month (1–31), month (1–12), day of week (0–7, 0 and 7 are
/// Sunday) — each `*`, a number, a range `a-b`, a list `a,b,…` or a step `*/n`, `a-b/n`. As in cron, when both day
/// fields are restricted a day matching either fires.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Why an expression is not a schedule.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let expression: String
        public let reason: String
        public init(expression: String, reason: String) {
            self.expression = expression
            self.reason = reason
        }
        public var description: String { "'\(expression)' is not a cron schedule: \(reason)" }
    }

    public let expression: String
    let minutes: [Int], hours: [Int], days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let daysRestricted: Bool, weekdaysRestricted: Bool

    /// - Throws: ``ParseError`` naming the field that is not one.
    public init(_ expression: String) throws(ParseError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else { throw ParseError(expression: expression, reason: "it has \(fields.count) fields, not 5") }
        func field(_ i: Int, _ name: String, _ range: ClosedRange<Int>) throws(ParseError) -> Set<Int> {
            do throws(FieldError) { return try Self.values(fields[i], in: range) } catch {
                throw ParseError(expression: expression, reason: "\(name) '\(fields[i])' \(error.reason) (\(range.lowerBound)–\(range.upperBound))")
            }
        }
        self.expression = expression
        minutes = try field(0, "minute", 0...59).sorted()
        hours = try field(1, "hour", 0...23).sorted()
        days = try field(2, "day of month", 1...31)
        months = try field(3, "month", 1...12)
        // 7 is Sunday too.
        weekdays = Set(try field(4, "day of week", 0...7).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    public var description: String { expression }

    struct FieldError: Error { let reason: String }

    static func values(_ text: String, in range: ClosedRange<Int>) throws(FieldError) -> Set<Int> {
        var out = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw FieldError(reason: "has more than one step") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw FieldError(reason: "has a step that is not a positive number") }
                step = s
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                guard (1...2).contains(bounds.count), let lo = bounds[0], let hi = bounds[bounds.count - 1] else {
                    throw FieldError(reason: "is not *, a number, a range, a list or a step")
                }
                guard range.contains(lo), range.contains(hi), lo <= hi else { throw FieldError(reason: "is outside its range") }
                // `a/n` runs from a to the end of the range, as in cron.
                span = lo...(bounds.count == 1 && pieces.count == 2 ? range.upperBound : hi)
            }
            out.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return out
    }

    /// Whether the schedule fires on this day (its month and the cron day rule).
    func firesOn(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): return days.contains(day) || weekdays.contains(weekday)
        case (true, false): return days.contains(day)
        case (false, true): return weekdays.contains(weekday)
        case (false, false): return true
        }
    }

    /// The first time after `date` (strictly) the schedule fires, read as wall-clock time in `timeZone`; `nil` when it
    /// never fires within the next eight years (`0 0 30 2 *`). A wall-clock time a daylight-saving jump skips is
    /// moved forward by the jump (02:30 on the last Sunday of March in Oslo fires at 03:30).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.startOfDay(for: date)
        for offset in 0..<(366 * 8) {
            guard let day = calendar.date(byAdding: .day, value: offset, to: start) else { return nil }
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let y = c.year, let m = c.month, let d = c.day, let w = c.weekday, firesOn(month: m, day: d, weekday: w - 1) else { continue }
            for h in hours {
                for minute in minutes {
                    guard let at = calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: minute)) else { continue }
                    if at > date { return at }
                }
            }
        }
        return nil
    }
}

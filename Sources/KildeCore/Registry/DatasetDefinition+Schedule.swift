import Foundation

extension DatasetDefinition {
    /// The time zone a dataset's schedule is read in: its `timezone` option, else Europe/Oslo.
    public var scheduleTimeZone: String { options["timezone"] ?? "Europe/Oslo" }

    /// When the dataset's schedule fires next after `date`, in its time zone.
    /// - Throws: ``CronSchedule/ParseError`` for a schedule that is not cron or a time zone that does not exist.
    public func nextScheduledRun(after date: Date) throws(CronSchedule.ParseError) -> Date? {
        let cron = try CronSchedule(schedule)
        guard let zone = TimeZone(identifier: scheduleTimeZone) else {
            throw CronSchedule.ParseError(expression: schedule, reason: "its time zone '\(scheduleTimeZone)' is unknown (option timezone)")
        }
        return cron.next(after: date, in: zone)
    }
}

import Foundation

/// ISO 8601 UTC timestamps as stored in text columns, e.g. `2026-11-27T16:46:24.123Z`.
public enum Timestamp {
    public static func now() -> String { string(Date()) }

    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().timeSeparator(.colon).time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

extension Timestamp {
    /// Parses a stored timestamp (with or without fractional seconds).
    public static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601.year().month().day().timeSeparator(.colon).time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
            ?? (try? Date(text, strategy: .iso8601))
    }
}

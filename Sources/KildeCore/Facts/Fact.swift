/// The period of a fact: a year (`fact_yearly`) or a civil date (`fact_daily`).
public enum Period: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    case year(Int)
    case day(CivilDate)

    /// The calendar year the period falls in.
    public var year: Int {
        switch self {
        case .year(let y): y
        case .day(let d): d.year
        }
    }

    /// The month a day falls in, keyed `YYYYMM`; `nil` for a year.
    public var yearMonth: Int? {
        switch self {
        case .year: nil
        case .day(let d): d.year * 100 + d.month
        }
    }

    public var description: String {
        switch self {
        case .year(let y): String(y)
        case .day(let d): d.description
        }
    }
}

/// A date without a time zone, as stored in `fact_daily.date`.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date, or `nil` for an impossible one such as February 30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Every day of `month` (clamped to 1…12) of `year`, first to last.
    public static func days(ofMonth month: Int, year: Int) -> ClosedRange<CivilDate> {
        let m = min(12, max(1, month))
        return CivilDate(valid: year, m, 1)...CivilDate(valid: year, m, daysIn(month: m, year: year))
    }

    /// Every day of the years of `window`, first to last.
    public static func days(of window: YearWindow) -> ClosedRange<CivilDate> {
        days(ofMonth: 1, year: window.first).lowerBound...days(ofMonth: 12, year: window.last).upperBound
    }

    /// A date known to exist.
    private init(valid year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// The 8-column natural key of a fact. NULL axes are `nil` and are not distinct from each other.
public struct FactKey: Sendable, Hashable, Codable {
    public var sourceID: Int
    public var dimCode: Int
    public var catCode: Int
    public var period: Period
    public var fireType: Int?
    public var buildingType: Int?
    public var region: Int?
    public var buildingAge: Int?

    public init(
        sourceID: Int, dimCode: Int, catCode: Int, period: Period,
        fireType: Int? = nil, buildingType: Int? = nil, region: Int? = nil, buildingAge: Int? = nil
    ) {
        self.sourceID = sourceID
        self.dimCode = dimCode
        self.catCode = catCode
        self.period = period
        self.fireType = fireType
        self.buildingType = buildingType
        self.region = region
        self.buildingAge = buildingAge
    }

    /// The filter id on an axis, or `nil` (NULL-as-ALL).
    public func filter(_ axis: FilterAxis) -> Int? {
        switch axis {
        case .fireType: fireType
        case .buildingType: buildingType
        case .buildingAge: buildingAge
        case .region: region
        }
    }
}

/// The two metrics a fact can carry.
public enum Metric: String, Sendable, Hashable, Codable, CaseIterable {
    /// A count.
    case value
    /// BRASK damage in thousands of NOK, as delivered.
    case valueKr = "value_kr"
}

/// One atom: a natural key with one or both metrics.
///
/// A write that carries only one metric never clears the other.
public struct Fact: Sendable, Hashable, Codable {
    public var key: FactKey
    public var value: Double?
    public var valueKr: Double?

    public init(key: FactKey, value: Double? = nil, valueKr: Double? = nil) {
        self.key = key
        self.value = value
        self.valueKr = valueKr
    }

    public func metric(_ m: Metric) -> Double? {
        switch m {
        case .value: value
        case .valueKr: valueKr
        }
    }

    /// Whether the row may be stored: at least one finite, non-negative metric.
    public var isStorable: Bool {
        func ok(_ v: Double?) -> Bool { v.map { $0.isFinite && $0 >= 0 } ?? false }
        let anyNegative = [value, valueKr].contains { v in v.map { !$0.isFinite || $0 < 0 } ?? false }
        return !anyNegative && (ok(value) || ok(valueKr))
    }
}

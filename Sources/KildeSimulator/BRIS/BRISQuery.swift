import Foundation
import KildeCore

/// A BRIS aggregation request body as the simulated upstream reads it, strictly (an unknown or misspelt field is a
/// 400, so an adapter bug shows instead of being answered with everything):
///
/// ```json
/// {"questionId": 407,
///  "revisedMissionTypes": {"ids": ["10086"]},
///  "buildingTypes": ["0"],
///  "dateRange": {"start": "2016-01-01", "end": "2025-12-31"},
///  "nextLevelAggregationDefinition": {"name": "MISSION_CALL_TIME_YEAR", "type": "DATE_HISTOGRAM", "interval": "YEAR"}}
/// ```
///
/// `revisedMissionTypes` (absent: every mission type), `buildingTypes` (absent: all buildings and missions outside
/// them; the open endpoint only) and `dateRange` (absent: every year there is) are optional.
struct BRISQuery: Sendable, Hashable {
    enum Interval: String, Sendable, CaseIterable {
        case year = "YEAR", month = "MONTH", day = "DAY"
    }

    var questionID: Int
    var missionTypes: [String]?
    var buildingTypes: [String]?
    var start: CivilDate
    var end: CivilDate
    var interval: Interval

    /// The longest window one request may span.
    static let maxYears = 50

    static func parse(_ body: [UInt8]) -> Result<BRISQuery, BRISQueryError> {
        func fail(_ m: String) -> Result<BRISQuery, BRISQueryError> { .failure(BRISQueryError(message: m)) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)), let o = object as? [String: Any] else {
            return fail("the body is not a JSON object")
        }
        let known: Set = ["questionId", "revisedMissionTypes", "buildingTypes", "dateRange", "nextLevelAggregationDefinition"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) { return fail("unknown field '\(unknown)'") }
        guard let question = o["questionId"] as? Int else { return fail("questionId (an integer) is required") }
        var missionTypes: [String]?
        if let m = o["revisedMissionTypes"] {
            guard let ids = (m as? [String: Any])?["ids"] as? [String], !ids.isEmpty else {
                return fail("revisedMissionTypes must be {\"ids\": [\"…\"]} with at least one id")
            }
            missionTypes = ids
        }
        var buildingTypes: [String]?
        if let b = o["buildingTypes"] {
            guard let ids = b as? [String], !ids.isEmpty else { return fail("buildingTypes must be a non-empty array of ids") }
            buildingTypes = ids
        }
        var start = CivilDate(year: BRISGenerator.years.lowerBound, month: 1, day: 1)
        var end = CivilDate(year: BRISGenerator.years.upperBound, month: 12, day: 31)
        if let r = o["dateRange"] {
            guard let range = r as? [String: Any], let s = (range["start"] as? String).flatMap(CivilDate.init),
                  let e = (range["end"] as? String).flatMap(CivilDate.init), s <= e else {
                return fail("dateRange must be {\"start\": \"YYYY-MM-DD\", \"end\": \"YYYY-MM-DD\"} with start ≤ end")
            }
            guard e.year - s.year < maxYears else { return fail("dateRange spans more than \(maxYears) years") }
            (start, end) = (s, e)
        }
        guard let histogram = o["nextLevelAggregationDefinition"] as? [String: Any], histogram["type"] as? String == "DATE_HISTOGRAM",
              let interval = (histogram["interval"] as? String).flatMap(Interval.init(rawValue:)),
              histogram["name"] as? String == "MISSION_CALL_TIME_\(interval.rawValue)" else {
            return fail("nextLevelAggregationDefinition must be {\"name\": \"MISSION_CALL_TIME_YEAR|MONTH|DAY\", \"type\": \"DATE_HISTOGRAM\", \"interval\": \"YEAR|MONTH|DAY\"}")
        }
        guard let start, let end else { return fail("the simulator's years do not form dates") }
        return .success(BRISQuery(questionID: question, missionTypes: missionTypes, buildingTypes: buildingTypes, start: start, end: end,
                                  interval: interval))
    }
}

/// Why the simulated BRIS refuses a request body (answered 400).
struct BRISQueryError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

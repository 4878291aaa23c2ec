import KildeCore
import KildeUpstream

/// The date histogram BRIS buckets each answer's missions by, from the dataset's grain.
public enum BRISInterval: String, Sendable, Hashable, CaseIterable {
    case year = "YEAR", month = "MONTH", day = "DAY"

    /// The interval of a grain, or `nil` for one BRIS has no histogram for (quarter, week).
    public init?(_ grain: TimeGrain) {
        switch grain {
        case .year: self = .year
        case .month: self = .month
        case .day: self = .day
        case .quarter, .week: return nil
        }
    }
}

/// Outbound translation: a slice → the BRIS aggregation request that answers it, through the catalogue.
///
/// ```json
/// {"buildingTypes": ["0"], "dateRange": {"end": "2025-12-31", "start": "2016-01-01"},
///  "nextLevelAggregationDefinition": {"interval": "YEAR", "name": "MISSION_CALL_TIME_YEAR", "type": "DATE_HISTOGRAM"},
///  "questionId": 407, "revisedMissionTypes": {"ids": ["10086"]}}
/// ```
///
/// The question id is the dataset's (source-scoped: the Police ask 407 for Årsak, the fire brigades 269). The slice's
/// fire type becomes its one mission-type id and its building type one Matrikkel group (open endpoint only), so every
/// row of the answer carries exactly the slice's filter ids; a NULL axis is left out of the body (all of them). A
/// slice without years asks for every year BRIS has. Keys are sorted, so one slice always sends the same bytes.
struct BRISRequest {
    let adapter: BRISAdapter

    var dataset: String { adapter.dataset.key }

    /// The slice's request: its own interval over its window.
    func request(for slice: Slice) throws(IngestError) -> UpstreamRequest {
        try request(for: slice, interval: adapter.interval, dates: slice.years.map(CivilDate.days(of:)))
    }

    /// A request for the slice's keys with `interval` over `dates` (inclusive; `nil`: every date BRIS has), as the
    /// daily gates ask: YEAR for the auto-chained yearly totals, MONTH over one year, DAY over one month.
    func request(for slice: Slice, interval: BRISInterval, dates: ClosedRange<CivilDate>?) throws(IngestError) -> UpstreamRequest {
        var members: [(String, String)] = [
            ("questionId", String(adapter.question)),
            ("nextLevelAggregationDefinition", CanonicalJSON.object([
                ("name", CanonicalJSON.string("MISSION_CALL_TIME_\(interval.rawValue)")),
                ("type", CanonicalJSON.string("DATE_HISTOGRAM")),
                ("interval", CanonicalJSON.string(interval.rawValue)),
            ])),
        ]
        var parts = ["question \(adapter.question)"]
        if let mission = try nativeCode(slice, .fireType) {
            members.append(("revisedMissionTypes", CanonicalJSON.object([("ids", CanonicalJSON.array([CanonicalJSON.string(mission)]))])))
            parts.append("mission type \(mission)")
        }
        if let building = try nativeCode(slice, .buildingType) {
            guard adapter.endpoint.takesBuildingTypes else {
                throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label,
                                  message: "/\(adapter.endpoint.kind.rawValue) takes no building types; only the Police's /aggregate does")
            }
            members.append(("buildingTypes", CanonicalJSON.array([CanonicalJSON.string(building)])))
            parts.append("building type \(building)")
        }
        for axis in [FilterAxis.region, .buildingAge] where slice.filters[axis] != nil {
            throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label, message: "BRIS slices have no \(axis.rawValue) axis")
        }
        if let dates {
            members.append(("dateRange", CanonicalJSON.object([
                ("start", CanonicalJSON.string(dates.lowerBound.description)), ("end", CanonicalJSON.string(dates.upperBound.description)),
            ])))
            parts.append("\(dates.lowerBound)–\(dates.upperBound)")
        }
        parts.append(interval.rawValue)
        return UpstreamRequest(method: "POST", url: adapter.endpoint.url, headers: [("Content-Type", "application/json")],
                               body: Array(CanonicalJSON.object(members).utf8), label: "BRIS \(parts.joined(separator: ", "))")
    }

    /// The native code of the slice's one filter on `axis`, or `nil` when the axis is NULL (all).
    func nativeCode(_ slice: Slice, _ axis: FilterAxis) throws(IngestError) -> String? {
        try adapter.registry.singleNativeCode(slice, axis: axis, source: adapter.source, upstream: "BRIS")
    }
}

/// The part of a dataset's slice plan one ingest is asked to cover: filter values per axis and a year window.
///
/// The explorer's "ingest this slice" and `POST /v1/admin/ingest` with `filters` arrive here, so a run fetches
/// only what was asked for instead of the dataset's whole plan.
///
/// An axis the selection leaves out is not narrowed: every planned choice on it is kept, NULL (the upstream
/// total) included, as the explorer's "(tom = alle)" says. An axis it names keeps only the planned slices that
/// list some of its values, each cut down to those values; a planned slice that is NULL on that axis covers the
/// upstream total, not the values asked for, and is dropped.
public struct SliceSelection: Sendable, Hashable {
    /// Filter ids per axis; an absent axis is not narrowed.
    public var filters: [FilterAxis: [Int]]
    /// Replaces every planned slice's window when given, as `years` always has.
    public var years: YearWindow?
    /// Keeps only the planned slices of this metric (one pass of a source that delivers both); `nil` keeps all.
    public var metric: Metric?

    public init(filters: [FilterAxis: [Int]] = [:], years: YearWindow? = nil, metric: Metric? = nil) {
        self.filters = filters.mapValues { Array(Set($0)).sorted() }
        self.years = years
        self.metric = metric
    }

    /// The whole plan in the plan's own windows.
    public static let everything = SliceSelection()

    /// `plan` narrowed to this selection: a pure function, so the ingest runs exactly the slices it reports.
    ///
    /// Slices that narrow to the same slice are kept once: a run never fetches a slice twice.
    /// - Throws: ``UnplannedFilter`` for the first selected value (axes in ``FilterAxis`` order, ids ascending)
    ///   that no planned slice covers, e.g. an axis the dataset's plan never filters on.
    public func narrow(_ plan: [Slice]) throws(UnplannedFilter) -> [Slice] {
        var narrowed: [Slice] = []
        var seen = Set<Slice>()
        for slice in plan where metric.map({ $0 == slice.metric }) ?? true {
            var filters = slice.filters
            var matches = true
            for (axis, wanted) in self.filters {
                let kept = (slice.filters[axis] ?? []).filter(wanted.contains)
                guard !kept.isEmpty else { matches = false; break }
                filters[axis] = kept
            }
            guard matches else { continue }
            let s = Slice(dataset: slice.dataset, dimCode: slice.dimCode, metric: slice.metric, filters: filters, years: years ?? slice.years,
                          table: slice.table)
            if seen.insert(s).inserted { narrowed.append(s) }
        }
        for axis in FilterAxis.allCases {
            for id in self.filters[axis] ?? [] where !narrowed.contains(where: { $0.filters[axis]?.contains(id) == true }) {
                throw UnplannedFilter(axis: axis, filterID: id, plannedAxes: Set(plan.flatMap(\.filters.keys)))
            }
        }
        return narrowed
    }
}

/// A selected filter value that no slice of the plan covers, so an ingest of it would fetch nothing.
public struct UnplannedFilter: Error, CustomStringConvertible, Sendable, Hashable {
    /// The axis of the value: a server names it as the parameter at fault.
    public var axis: FilterAxis
    /// The selected filter id no planned slice lists.
    public var filterID: Int
    /// The axes the plan filters on at all, to say what could be selected instead.
    public var plannedAxes: Set<FilterAxis>

    public init(axis: FilterAxis, filterID: Int, plannedAxes: Set<FilterAxis>) {
        self.axis = axis
        self.filterID = filterID
        self.plannedAxes = plannedAxes
    }

    public var description: String { description(value: "filter \(filterID)") }

    /// The description with the value named as the caller knows it, e.g. `'0301' (filter 50301)`.
    public func description(value: String) -> String {
        let axes = FilterAxis.allCases.filter(plannedAxes.contains).map(\.rawValue)
        return "no planned slice covers \(axis.rawValue) \(value); the plan filters on " + (axes.isEmpty ? "no axis" : axes.joined(separator: ", "))
    }
}

import KildeCore

/// The BRASK form's controls a query sets, by control id (the part of an ASP.NET name after the last `$`), and the
/// values of the row and column lists that mean years and days. The defaults are the simulated page's; the
/// seeds name `rblVerdi`, `lbType`, `lbAldersgruppe` and the dimension values, the other ids are stand-ins.
public struct BRASKControls: Sendable, Hashable {
    /// The row dimension list. Defaults to `ddlRad`.
    public var row = "ddlRad"
    /// The column dimension list. Defaults to `ddlKolonne`.
    public var column = "ddlKolonne"
    /// The years list box; no selection is every year. Defaults to `lbAar`.
    public var year = "lbAar"
    /// The months list box. Defaults to `lbMaaned`.
    public var month = "lbMaaned"
    /// The metric radio buttons: `1` counts fires (`value`), `2` sums damage in thousands of NOK (`value_kr`).
    /// Defaults to `rblVerdi`.
    public var metric = "rblVerdi"
    /// The button that shows the table. Defaults to `btnVis`.
    public var submit = "btnVis"
    /// The column value for years. Defaults to `ar`.
    public var yearColumn = "ar"
    /// The column value for the 12 months of a year. Defaults to `maned`.
    public var monthColumn = "maned"
    /// The column value for the 31 days of a month. Defaults to `dag`.
    public var dayColumn = "dag"
    /// The list box that filters each axis; an axis without one cannot be asked for.
    public var axes: [FilterAxis: String] = [.fireType: "lbType", .buildingType: "lbNaering", .buildingAge: "lbAldersgruppe"]

    public init() {}

    /// The defaults, with the source's `axes` option (`axis:listbox,…`) in place of the axis list boxes when given.
    /// - Throws: ``IngestError`` `.invalidSlice` for an entry that is not `axis:listbox` with a known axis.
    public init(options: AdapterOptions, dataset: String) throws(IngestError) {
        let entries = options.list("axes")
        guard !entries.isEmpty else { return }
        axes = [:]
        for entry in entries {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let axis = FilterAxis(rawValue: parts[0]), !parts[1].isEmpty else {
                throw IngestError(.invalidSlice, dataset: dataset, message: "source option axes has '\(entry)'; it takes axis:listbox pairs, e.g. fire_type:lbType")
            }
            axes[axis] = parts[1]
        }
    }

    /// The radio button value of a metric.
    public func metricValue(_ m: Metric) -> String {
        switch m {
        case .value: "1"
        case .valueKr: "2"
        }
    }
}

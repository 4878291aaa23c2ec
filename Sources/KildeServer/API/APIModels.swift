import Foundation
import KildeCore
import KildeStore

/// The read API's JSON shapes (camelCase), each with its CSV row form.
enum API {
    struct FilterRef: Codable {
        var id: Int
        var code: String
        var name: String
    }

    struct FactRow: Codable, CSVRow {
        var catCode: Int
        var category: String
        var period: String
        var fireType: FilterRef?
        var buildingType: FilterRef?
        var region: FilterRef?
        var buildingAge: FilterRef?
        var value: Double

        init(_ r: FactSeriesRow) {
            func ref(_ axis: FilterAxis) -> FilterRef? { r.filters[axis].map { FilterRef(id: $0.id, code: $0.code, name: $0.name) } }
            catCode = r.catCode
            category = r.category
            period = r.period
            fireType = ref(.fireType)
            buildingType = ref(.buildingType)
            region = ref(.region)
            buildingAge = ref(.buildingAge)
            value = r.value
        }

        static let csvHeader = ["cat_code", "category", "period", "fire_type_id", "fire_type", "building_type_id", "building_type",
                                "region_id", "region_code", "region", "building_age_id", "building_age", "value"]
        var csvFields: [String] {
            [String(catCode), category, period, fireType.map { String($0.id) } ?? "", fireType?.name ?? "",
             buildingType.map { String($0.id) } ?? "", buildingType?.name ?? "", region.map { String($0.id) } ?? "", region?.code ?? "",
             region?.name ?? "", buildingAge.map { String($0.id) } ?? "", buildingAge?.name ?? "", CSVEncoding.number(value)]
        }
    }

    struct Totals: Codable {
        var byCategory: [FactTotals.CategoryTotal]?
        var byPeriod: [FactTotals.PeriodTotal]?
    }

    struct FactsQueryEcho: Codable {
        var filters: [String: [Int]]
        var categories: [Int]?
        var years: YearWindow?
    }

    /// The facts answer. Its rows are the store's, written as ``FactRow``s: ``jsonBytes()`` writes them without
    /// converting each row first; the `Encodable` form (what the OpenAPI schema describes) converts them.
    struct Facts: Encodable {
        var source: String
        var dataset: String
        var dimCode: Int
        var granularity: String
        var metric: String
        var demo: Bool
        var attribution: String
        var query: FactsQueryEcho
        var rows: [FactSeriesRow]
        var truncated: Bool
        var totals: Totals?

        enum CodingKeys: String, CodingKey {
            case source, dataset, dimCode, granularity, metric, demo, attribution, query, rows, truncated, totals
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(dataset, forKey: .dataset)
            try c.encode(dimCode, forKey: .dimCode)
            try c.encode(granularity, forKey: .granularity)
            try c.encode(metric, forKey: .metric)
            try c.encode(demo, forKey: .demo)
            try c.encode(attribution, forKey: .attribution)
            try c.encode(query, forKey: .query)
            try c.encode(rows.map(FactRow.init), forKey: .rows)
            try c.encode(truncated, forKey: .truncated)
            try c.encodeIfPresent(totals, forKey: .totals)
        }
    }

    struct Asset: Codable, CSVRow {
        var key: String
        var kind: String
        var title: String
        var source: String?
        var attribution: String?
        var tableId: String?
        var freshnessMonths: Int
        var lastMaterializedAt: String?
        var lastRunStatus: String?
        var rows: Int
        var freshness: String
        /// The catalogue's cron line (datasets), read in ``timeZone``.
        var schedule: String?
        var timeZone: String?
        var nextRunAt: String?
        /// Why a dataset's schedule has no next run (a cron line or time zone that is not valid).
        var scheduleProblem: String?
        /// Assets that materialise first: a mart's input datasets.
        var dependsOn: [String]
        /// Attempts of a queued materialisation in all, and the wait before the second (doubling after, with jitter).
        var retryAttempts: Int?
        var retryBackoffSeconds: Double?
        /// The release sensor's signal (`updated`: a PxWeb table's timestamp) and how often it is polled.
        var releaseSensor: String?
        var sensorIntervalSeconds: Double?
        /// The latest materialisation record; absent until the asset is first materialised.
        var lastMaterialization: Materialization?

        init(_ a: AssetStatus, registry: Registry, now: Date) {
            key = a.key
            kind = a.kind.rawValue
            title = a.title
            source = a.sourceKey
            attribution = a.attribution.map { text in a.tableID.map { t in "\(text), tabell \(t)" } ?? text }
            tableId = a.tableID
            freshnessMonths = a.freshnessMonths
            lastMaterializedAt = a.lastMaterializedAt
            lastRunStatus = a.lastRunStatus?.rawValue
            rows = a.rows
            freshness = a.freshness(now: now).rawValue
            let s = a.schedule(registry: registry, now: now)
            schedule = s.cron
            timeZone = s.timeZone
            nextRunAt = s.nextRun.map(Timestamp.string)
            scheduleProblem = s.problem
            dependsOn = s.dependsOn
            retryAttempts = s.retry?.attempts
            retryBackoffSeconds = s.retry?.backoffSeconds
            releaseSensor = s.sensor?.signal.rawValue
            sensorIntervalSeconds = s.sensor?.intervalSeconds
            lastMaterialization = a.lastMaterialization.map(Materialization.init)
        }

        static let csvHeader = ["key", "kind", "title", "source", "table_id", "freshness_months", "last_materialized_at", "last_run_status", "rows", "freshness",
                                "schedule", "time_zone", "next_run_at", "depends_on", "retry_attempts", "retry_backoff_seconds", "release_sensor",
                                "sensor_interval_seconds", "run_id", "duration_ms", "rows_added", "rows_updated", "rows_deleted", "latest_period", "data_version"]
        var csvFields: [String] {
            [key, kind, title, source ?? "", tableId ?? "", String(freshnessMonths), lastMaterializedAt ?? "", lastRunStatus ?? "", String(rows), freshness,
             schedule ?? "", timeZone ?? "", nextRunAt ?? "", dependsOn.joined(separator: " "), retryAttempts.map(String.init) ?? "",
             retryBackoffSeconds.map(JSONNumber.format) ?? "", releaseSensor ?? "", sensorIntervalSeconds.map(JSONNumber.format) ?? ""]
                + (lastMaterialization.map { m in
                    [String(m.runId), String(m.durationMs), String(m.rowsAdded), String(m.rowsUpdated), String(m.rowsDeleted), m.latestPeriod ?? "", m.dataVersion]
                } ?? Array(repeating: "", count: 7))
        }
    }

    struct SourceEntry: Codable, CSVRow {
        var key: String
        var name: String
        var publisher: String
        var attribution: String
        var url: String
        var supportsSubyear: Bool
        var datasets: [Asset]

        static let csvHeader = ["key", "name", "publisher", "attribution", "url", "supports_subyear", "datasets"]
        var csvFields: [String] { [key, name, publisher, attribution, url, String(supportsSubyear), datasets.map(\.key).joined(separator: ";")] }
    }

    struct DimensionEntry: Codable, CSVRow {
        var dimCode: Int
        var name: String
        var description: String
        static let csvHeader = ["dim_code", "name", "description"]
        var csvFields: [String] { [String(dimCode), name, description] }
    }

    struct CategoryEntry: Codable, CSVRow {
        var source: String
        var dimCode: Int
        var catCode: Int
        var name: String
        var nativeName: String
        var standardCode: String?
        var nativeOnly: Bool
        static let csvHeader = ["source", "dim_code", "cat_code", "name", "native_name", "standard_code", "native_only"]
        var csvFields: [String] { [source, String(dimCode), String(catCode), name, nativeName, standardCode ?? "", String(nativeOnly)] }
    }

    struct FilterEntry: Codable, CSVRow {
        var id: Int
        var source: String
        var axis: String
        var code: String
        var name: String
        var standardCode: String?
        var dimCodes: [Int]
        static let csvHeader = ["id", "source", "axis", "code", "name", "standard_code", "dim_codes"]
        var csvFields: [String] { [String(id), source, axis, code, name, standardCode ?? "", dimCodes.map(String.init).joined(separator: ";")] }
    }

    struct Run: Codable, CSVRow {
        var id: Int64
        var source: String
        var dataset: String
        var status: String
        var startedAt: String?
        var finishedAt: String?
        var slicesTotal: Int
        var slicesDone: Int
        var rowsAdded: Int
        var rowsUpdated: Int
        var rowsSkippedIdentical: Int
        var rowsDeleted: Int
        var rowsUpserted: Int
        var progress: Double
        var errorMessage: String?
        var phaseDetail: JSONValue?
        var perSliceMetrics: JSONValue?

        init(_ r: RunRecord) {
            id = r.id
            source = r.sourceKey
            dataset = r.dataset
            status = r.status.rawValue
            startedAt = r.startedAt
            finishedAt = r.finishedAt
            slicesTotal = r.slicesTotal
            slicesDone = r.slicesDone
            rowsAdded = r.rowsAdded
            rowsUpdated = r.rowsUpdated
            rowsSkippedIdentical = r.rowsSkippedIdentical
            rowsDeleted = r.rowsDeleted
            rowsUpserted = r.rowsUpserted
            errorMessage = r.errorMessage
            phaseDetail = JSONValue(text: r.phaseDetail)
            perSliceMetrics = JSONValue(text: r.perSliceMetrics)
            // The bar follows phase_detail's monotonic canonical_progress; a finished run is at 1.
            let canonical = phaseDetail?["canonical_progress"]?.double
                ?? (r.slicesTotal > 0 ? Double(r.slicesDone) / Double(r.slicesTotal) : 0)
            progress = r.status == .complete || r.status == .error ? 1 : min(1, max(0, canonical))
        }

        static let csvHeader = ["id", "source", "dataset", "status", "started_at", "finished_at", "slices_total", "slices_done",
                                "rows_added", "rows_updated", "rows_skipped_identical", "rows_deleted", "error_message"]
        var csvFields: [String] {
            [String(id), source, dataset, status, startedAt ?? "", finishedAt ?? "", String(slicesTotal), String(slicesDone),
             String(rowsAdded), String(rowsUpdated), String(rowsSkippedIdentical), String(rowsDeleted), errorMessage ?? ""]
        }
    }

    struct Indicator: Codable {
        var key: String
        var dataset: String
        var title: String
        var unit: String
        var attribution: String
        /// The indicator the map and `/v1/kommune-indicators` show when none is asked for.
        var `default`: Bool
        var years: [Int]
    }

    struct KommuneValue: Codable, CSVRow {
        var kommune: String
        var name: String
        var fylke: String
        var fylkeName: String
        var year: Int
        var value: Double
        var population: Int?
        var lat: Double
        var lon: Double

        init(_ r: KommuneIndicatorRow) {
            kommune = r.kommuneNumber
            name = r.kommuneName
            fylke = r.fylkeNumber
            fylkeName = r.fylkeName
            year = r.year
            value = r.value
            population = r.population
            lat = r.latitude
            lon = r.longitude
        }

        static let csvHeader = ["kommune_nr", "kommune_name", "fylke_nr", "fylke_name", "year", "value", "population", "lat", "lon"]
        var csvFields: [String] {
            [kommune, name, fylke, fylkeName, String(year), CSVEncoding.number(value), population.map(String.init) ?? "", String(lat), String(lon)]
        }
    }

    struct KommuneIndicators: Codable {
        var indicator: String
        var title: String
        /// The unit of `national` and each row's `value`: the indicator's, or `per_1000_inhabitants` when normalised.
        var unit: String
        /// `none`, or `per_1000` (counts per 1,000 inhabitants).
        var normalize: String
        var year: Int?
        /// The kommune structure the rows are in (the year it took effect), when the year has data.
        var structure: Int?
        var demo: Bool
        var attribution: String
        /// The whole country's value (region NULL in the facts), when stored.
        var national: Double?
        var rows: [KommuneValue]
        /// The year's values that are not drawn on a kommune, and why.
        var unmatched: [Unmatched]
    }

    /// A value not drawn on a kommune: a region that is not a kommune, or a kommune of an earlier structure whose
    /// value cannot be carried to the year's structure.
    struct Unmatched: Codable {
        /// The region's native code; absent for the whole country.
        var code: String?
        var name: String?
        /// `country`, `county`, `not_a_kommune`, `split`, `merged_not_summable`, `merger_incomplete`, or (when
        /// normalised) `no_population`.
        var reason: String
        /// The kommune of the year's structure the region's area belongs to, for an earlier kommune.
        var target: String?
        var value: Double

        init(code: String?, name: String?, reason: String, target: String?, value: Double) {
            self.code = code
            self.name = name
            self.reason = reason
            self.target = target
            self.value = value
        }

        init(_ u: UnmatchedRegion) {
            self.init(code: u.code, name: u.name, reason: u.reason.rawValue, target: u.target, value: u.value)
        }
    }

    struct IngestAccepted: Codable {
        var runId: Int64
        var status: String
        var statusUrl: String
    }

    struct IngestBody: Decodable {
        var dataset: String
        var years: String?
        /// Filter tokens per axis name; the run covers only the planned slices matching them.
        var filters: [String: [String]]?
        /// `value` or `value_kr`: only the slices of that metric pass.
        var metric: String?
    }
}

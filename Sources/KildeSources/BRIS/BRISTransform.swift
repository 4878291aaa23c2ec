import KildeCore

/// Inbound translation of a BRIS answer into facts (SPEC §6): each bucket's key → the category whose
/// `native_api_code` it is (`-1`, no answer, → the dimension's `Ikke besvart` row), each series key → the UTC period
/// it starts (a year for YEAR, the day for DAY, the month's first day for MONTH), the slice's filter ids on every
/// row. Zero entries (BRIS zero-pads every period) are not stored.
///
/// The upstream's own totals are every series summed, buckets without a category included: the pipeline fails the
/// slice when the facts do not add up to them (the usual cause, a dimension without its `Ikke besvart` row, is named
/// in the warnings).
struct BRISTransform {
    let adapter: BRISAdapter

    var dataset: String { adapter.dataset.key }

    func transform(_ bodies: [[UInt8]], slice: Slice) throws(IngestError) -> TransformOutput {
        guard slice.dimCode == adapter.dataset.dimCode else {
            throw IngestError(.invalidSlice, dataset: dataset, slice: slice.label,
                              message: "question \(adapter.question) answers dim \(adapter.dataset.dimCode), not \(slice.dimCode)")
        }
        let source = adapter.dataset.sourceID
        var facts: [Fact] = []
        var upstream = SliceTotals()
        var skipped: [String: Double] = [:]
        var skippedCells = 0
        var declared: Double?
        // One answer per slice, or one per month of a daily gate's fan-out.
        for body in bodies {
            let result = try BRISResponse.decode(body, dataset: dataset, slice: slice.label)
            if let t = result.total { declared = (declared ?? 0) + t }
            for (key, bucket) in result.buckets.sorted(by: { $0.key < $1.key }) {
                let category = adapter.registry.category(source: source, dim: slice.dimCode, nativeAPICode: key).flatMap { $0.isNativeOnly ? nil : $0 }
                var missed = 0.0
                for (stamp, entry) in bucket.subAggregationBuckets ?? [:] {
                    let period = try self.period(stamp, slice: slice)
                    guard entry.count.isFinite, entry.count >= 0 else {
                        throw IngestError(.malformedResponse, dataset: dataset, slice: slice.label, message: "bucket '\(key)' has count \(entry.count) at \(period)")
                    }
                    // Periods outside the slice's window belong to no slice: BRIS answers the window asked for.
                    guard slice.years?.contains(period.year) ?? true, entry.count != 0 else { continue }
                    upstream.add(entry.count, at: period)
                    guard let category else {
                        missed += entry.count
                        skippedCells += 1
                        continue
                    }
                    facts.append(Fact(key: FactKey(sourceID: source, dimCode: slice.dimCode, catCode: category.catCode, period: period,
                                                   fireType: slice.filters[.fireType]?.first, buildingType: slice.filters[.buildingType]?.first),
                                      value: entry.count))
                }
                if category == nil && missed > 0 { skipped[key, default: 0] += missed }
            }
        }
        let warnings = skipped.sorted { $0.key < $1.key }.map { key, missions in
            "skipped bucket '\(key)' (\(JSONNumber.format(missions)) missions): no category of source \(adapter.source.key) dim \(slice.dimCode) has native_api_code '\(key)'"
                + (key == "-1" ? " (the missing-answer row, 'Ikke besvart')" : "")
        }
        return TransformOutput(facts: facts, totals: SliceTotals(facts: facts, metric: .value), apiTotal: declared ?? upstream.total,
                               skippedUnmapped: skippedCells, warnings: warnings, reconcileWith: upstream)
    }

    /// The period a series key starts, checked against the interval: a key that is not the UTC start of a year,
    /// month or day (say, local midnight) would put missions in the wrong period, so the slice fails instead.
    func period(_ stamp: String, slice: Slice) throws(IngestError) -> Period {
        guard let ms = Int64(stamp) else {
            throw IngestError(.malformedResponse, dataset: dataset, slice: slice.label, message: "series key '\(stamp)' is not epoch milliseconds")
        }
        let (date, midnight) = CivilDate.utc(epochMilliseconds: ms)
        // A daily dataset's auto-chained yearly table is a yearly slice of its keys.
        let interval = slice.table == .yearly ? .year : adapter.interval
        let aligned = switch interval {
        case .year: midnight && date.month == 1 && date.day == 1
        case .month: midnight && date.day == 1
        case .day: midnight
        }
        guard aligned else {
            throw IngestError(.schemaChanged, dataset: dataset, slice: slice.label,
                              message: "series key \(stamp) (\(date), \(midnight ? "midnight" : "not midnight") UTC) does not start a UTC \(interval.rawValue.lowercased())")
        }
        return interval == .year ? .year(date.year) : .day(date)
    }
}

import KildeCore
import KildeUpstream

/// The BRIS side of the daily gates (``DailyGate``): each cursor is one POST of the slice's question with its own
/// histogram — YEAR over every date BRIS has (the auto-chained yearly totals), MONTH over one year, DAY over one
/// month — so every tier costs one request per year or month it asks about.
struct BRISDailyTransport: DailyTransport {
    let request: BRISRequest
    let slice: Slice

    func start(_ cursor: DailyCursor) throws(IngestError) -> UpstreamRequest {
        switch cursor {
        case .years: try request.request(for: slice, interval: .year, dates: nil)
        case .months(let y): try request.request(for: slice, interval: .month, dates: CivilDate.days(of: YearWindow(first: y, last: y)))
        case .days(let y, let m): try request.request(for: slice, interval: .day, dates: CivilDate.days(ofMonth: m, year: y))
        }
    }

    func receive(_ response: UpstreamResponse, for cursor: DailyCursor) throws(IngestError) -> DailyTransportStep {
        .answer(response)
    }

    /// Every bucket's series summed per UTC year, the missing-answer bucket included.
    func yearlySums(_ answer: UpstreamResponse) throws(IngestError) -> [Int: Double] {
        try sums(answer) { $0.year }
    }

    /// Every bucket's series summed per UTC month of `year`, the missing-answer bucket included (tier 3 stores it as
    /// `Ikke besvart`, so the stored days hold it too).
    func monthlySums(_ answer: UpstreamResponse, year: Int) throws(IngestError) -> [Int: Double] {
        try sums(answer) { $0.year == year ? $0.month : nil }
    }

    private func sums(_ answer: UpstreamResponse, by period: (CivilDate) -> Int?) throws(IngestError) -> [Int: Double] {
        let result = try BRISResponse.decode(answer.body, dataset: slice.dataset, slice: slice.label)
        var out: [Int: Double] = [:]
        for bucket in result.buckets.values {
            for (stamp, entry) in bucket.subAggregationBuckets ?? [:] {
                guard let ms = Int64(stamp) else {
                    throw IngestError(.malformedResponse, dataset: slice.dataset, slice: slice.label, message: "series key '\(stamp)' is not epoch milliseconds")
                }
                if let key = period(CivilDate.utc(epochMilliseconds: ms).date), entry.count != 0 { out[key, default: 0] += entry.count }
            }
        }
        return out
    }
}

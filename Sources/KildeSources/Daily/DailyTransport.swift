import KildeCore
import KildeUpstream

/// What a daily gate asks an upstream for; each has one answer (however many requests it takes to get it).
public enum DailyCursor: Sendable, Hashable, CustomStringConvertible {
    /// The yearly totals of every year the upstream has (the auto-chained yearly ingest).
    case years
    /// One year's monthly sums (tier 2).
    case months(year: Int)
    /// One month's days (tier 3 and the cold fan-out).
    case days(year: Int, month: Int)

    public var description: String {
        switch self {
        case .years: "all years"
        case .months(let y): "\(y) by month"
        case .days(let y, let m): "\(y)-\(m < 10 ? "0" : "")\(m)"
        }
    }

    /// The cursor as `phase_detail` shows it.
    var fields: [String: String] {
        switch self {
        case .years: [:]
        case .months(let y): ["year": String(y)]
        case .days(let y, let m): ["year": String(y), "month": String(m)]
        }
    }
}

/// What a transport wants next for the cursor it is fetching.
public enum DailyTransportStep: Sendable {
    /// Send this request; its response comes back through ``DailyTransport/receive(_:for:)``.
    case fetch(UpstreamRequest)
    /// The cursor's answer.
    case answer(UpstreamResponse)
}

/// How one daily source gets a ``DailyCursor``'s answer and reads its sums: the only part of the daily gates that
/// differs between sources (BRIS: one POST with a date histogram; BRASK: a form post, with a fresh form when the
/// session's state went stale). A pure state machine, like a ``Conversation``: it does no I/O.
public protocol DailyTransport: Sendable {
    /// The first request for `cursor`.
    mutating func start(_ cursor: DailyCursor) throws(IngestError) -> UpstreamRequest

    /// The response to the last request for `cursor`: its answer, or another request to send first.
    /// - Throws: ``IngestError`` when the response is an error the source names (e.g. `BRASK POST 500 (2024-01)`).
    mutating func receive(_ response: UpstreamResponse, for cursor: DailyCursor) throws(IngestError) -> DailyTransportStep

    /// The upstream's sum of the slice's metric per year, from the answer to ``DailyCursor/years``; years without
    /// data are absent.
    func yearlySums(_ answer: UpstreamResponse) throws(IngestError) -> [Int: Double]

    /// The upstream's sum per month (1…12) of `year`, from the answer to ``DailyCursor/months(year:)``, every answer
    /// label included (BRIS's missing answers too: tier 3 stores them as `Ikke besvart`).
    func monthlySums(_ answer: UpstreamResponse, year: Int) throws(IngestError) -> [Int: Double]

    /// The upstream session the transport continues (see ``Conversation/session``); `nil` for none.
    var session: String? { get }
}

extension DailyTransport {
    public var session: String? { nil }
}

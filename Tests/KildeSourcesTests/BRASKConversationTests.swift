import KildeCatalog
import KildeCore
import KildeSources
import KildeUpstream
import Testing

/// The conversation with the form as a state machine, fed saved simulator pages: no network.
@Suite("BRASK conversation")
struct BRASKConversationTests {
    static let filters: [FilterAxis: [Int]] = [.fireType: [10101], .buildingType: [10201], .buildingAge: [10305]]

    static func conversation(_ slice: Slice) throws -> any Conversation<SliceFetch> {
        let registry = try BundledCatalog.registry()
        return try BRASKFixtures.adapter(slice.dataset, registry: registry).fetch(slice, run: [slice], prepared: BRASKPrepared())
    }

    static func page(_ name: String, status: Int = 200) throws -> ConversationReply {
        .response(BRASKFixtures.response(try BRASKFixtures.page(name), status: status))
    }

    /// The request a step sends, or a failure naming what came instead.
    static func request(_ step: ConversationStep<SliceFetch>) throws -> UpstreamRequest {
        guard case .fetch(let r) = step else { throw FixtureError("expected a request, got \(step)") }
        return r
    }

    static func body(_ r: UpstreamRequest) -> String { String(decoding: r.body ?? [], as: UTF8.self) }

    /// Starts a daily slice's gates: the store question, then the store's answer (yearly facts for 2024, no daily
    /// rows: a cold fan-out over 2024's months). Returns the first request, the form page.
    static func startCold(_ c: inout any Conversation<SliceFetch>) throws -> UpstreamRequest {
        guard case .askStore = try c.next(after: nil) else { throw FixtureError("a daily slice asks the store first") }
        return try request(try c.next(after: .stored(StoredTotals(yearly: [2024: 900]))))
    }

    @Test func yearlyGetsTheFormThenPostsItsState() throws {
        var c = try Self.conversation(Slice(dataset: "brask-arsak", dimCode: 1, metric: .valueKr, filters: Self.filters))
        let get = try Self.request(try c.next(after: nil))
        #expect(get.method == "GET" && get.url == BRASKFixtures.base + "/")
        #expect(!get.isShareable, "a form page starts a session of its own")
        let post = try Self.request(try c.next(after: try Self.page("form.html")))
        #expect(post.method == "POST" && post.answeredStatuses == [500] && !post.isShareable)
        let body = Self.body(post)
        for field in ["__VIEWSTATE=%2FwEP", "__EVENTVALIDATION=", "ctl00%24Innhold%24ddlRad=arsak", "ctl00%24Innhold%24ddlKolonne=ar",
                      "ctl00%24Innhold%24lbType=1", "ctl00%24Innhold%24lbNaering=0", "ctl00%24Innhold%24lbAldersgruppe=5",
                      "ctl00%24Innhold%24rblVerdi=2", "ctl00%24Innhold%24btnVis="] {
            #expect(body.contains(field), "\(field) in \(body.prefix(300))")
        }
        #expect(!body.contains("lbAar="), "no year selected: every year")
        guard case .finish(.fetched(let pages)) = try c.next(after: try Self.page("yearly-arsak-value.html")) else {
            Issue.record("expected the result")
            return
        }
        #expect(pages.count == 1)
    }

    /// ASP.NET refuses a stale state: one fresh form and the same post again; refused again, a typed error naming the
    /// cursor.
    @Test func staleStateGetsOneFreshForm() throws {
        let slice = Slice(dataset: "brask-arsak-daily", dimCode: 1, filters: Self.filters, years: YearWindow(first: 2024, last: 2024), table: .daily)
        var c = try Self.conversation(slice)
        _ = try Self.startCold(&c)
        let first = try Self.request(try c.next(after: try Self.page("form.html")))
        #expect(Self.body(first).contains("lbMaaned=1&") || Self.body(first).hasSuffix("lbMaaned=1"))
        let again = try Self.request(try c.next(after: try Self.page("error-stale-viewstate.html", status: 500)))
        #expect(again.method == "GET")
        let repost = try Self.request(try c.next(after: try Self.page("form.html")))
        #expect(Self.body(repost) == Self.body(first), "the same post through the fresh form")
        #expect {
            _ = try c.next(after: try Self.page("error-stale-viewstate.html", status: 500))
        } throws: { e in
            let e = e as? IngestError
            return e?.code == .upstream && e?.description.contains("BRASK POST 500 (2024-01)") == true && e?.description.contains("refused again") == true
        }
    }

    /// Any other 500 (a year without data) fails at once, naming the cursor: `BRASK POST 500 (2024-03)`.
    @Test func otherServerErrorNamesTheCursor() throws {
        let slice = Slice(dataset: "brask-arsak-daily", dimCode: 1, filters: Self.filters, years: YearWindow(first: 2024, last: 2024), table: .daily)
        var c = try Self.conversation(slice)
        _ = try Self.startCold(&c)
        var step = try c.next(after: try Self.page("form.html"))
        for _ in 1...2 { step = try c.next(after: try Self.page("daily-arsak-2024-02-value-kr.html")) }
        #expect(Self.body(try Self.request(step)).contains("lbMaaned=3"))
        #expect {
            _ = try c.next(after: try Self.page("error-no-data.html", status: 500))
        } throws: { e in
            (e as? IngestError)?.description.contains("BRASK POST 500 (2024-03): Object reference not set") == true
        }
    }

    /// A daily slice whose keys have no yearly facts chains the yearly table in (every year BRASK has, so no year
    /// without data is ever posted), then posts every month of the years it names.
    @Test func dailyWithoutYearlyFactsChainsTheYearlyTable() throws {
        var c = try Self.conversation(Slice(dataset: "brask-arsak-daily", dimCode: 1, filters: Self.filters, table: .daily))
        guard case .askStore(let keys, let metric) = try c.next(after: nil) else { throw FixtureError("a daily slice asks the store first") }
        #expect(keys.table == .daily && keys.years == nil && metric == .value)
        #expect(try Self.request(try c.next(after: .stored(StoredTotals()))).method == "GET")
        let yearly = try Self.request(try c.next(after: try Self.page("form.html")))
        #expect(Self.body(yearly).contains("ddlKolonne=ar") && !Self.body(yearly).contains("lbAar="))
        #expect(c.progress?.phase == .tier1YearlyProbe)
        var posts = 0
        var step = try c.next(after: try Self.page("yearly-arsak-value.html"))
        #expect(c.progress?.total == 11 * 12)
        while case .fetch(let r) = step {
            posts += 1
            if posts == 1 { #expect(Self.body(r).contains("lbAar=2015") && Self.body(r).contains("ddlKolonne=dag") && Self.body(r).contains("lbMaaned=1")) }
            #expect(c.progress?.phase == .tier3DailyFetch && c.progress?.done == posts - 1)
            step = try c.next(after: try Self.page("daily-arsak-2024-02-value-kr.html"))
        }
        #expect(posts == 11 * 12, "the saved yearly table has 2015–2025")
        guard case .finish(.fetchedMonths(let fetched)) = step else {
            Issue.record("expected the fetched months, got \(step)")
            return
        }
        #expect(fetched.pages.count == 132 && fetched.months.count == 132 && fetched.yearly.count == 1)
        #expect(c.progress?.done == 132 && c.progress?.phase == .write)
    }

    /// Tier 1 from the store's answer alone: equal yearly and daily sums finish before any request.
    @Test func stableHistoryAsksNothing() throws {
        let slice = Slice(dataset: "brask-arsak-daily", dimCode: 1, filters: Self.filters, years: YearWindow(first: 2023, last: 2024), table: .daily)
        var c = try Self.conversation(slice)
        _ = try c.next(after: nil)
        let stored = StoredTotals(yearly: [2023: 30, 2024: 40], dailyByMonth: [202301: 10, 202312: 20, 202405: 40], dailyRows: 9)
        guard case .finish(.unchanged(let reason)) = try c.next(after: .stored(stored)) else {
            Issue.record("a stable history finishes at once")
            return
        }
        #expect(reason.contains("2023–2024"))
        #expect(c.progress?.done == 24 && c.progress?.total == 24)
    }
}

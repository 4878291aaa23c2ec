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
        _ = try c.next(after: nil)
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
        _ = try c.next(after: nil)
        var step = try c.next(after: try Self.page("form.html"))
        for _ in 1...2 { step = try c.next(after: try Self.page("daily-arsak-2024-02-value-kr.html")) }
        #expect(Self.body(try Self.request(step)).contains("lbMaaned=3"))
        #expect {
            _ = try c.next(after: try Self.page("error-no-data.html", status: 500))
        } throws: { e in
            (e as? IngestError)?.description.contains("BRASK POST 500 (2024-03): Object reference not set") == true
        }
    }

    /// A daily slice without a window asks the yearly table for its years, then posts every month of them.
    @Test func dailyWithoutWindowLearnsItsYears() throws {
        var c = try Self.conversation(Slice(dataset: "brask-arsak-daily", dimCode: 1, filters: Self.filters, table: .daily))
        _ = try c.next(after: nil)
        let discover = try Self.request(try c.next(after: try Self.page("form.html")))
        #expect(Self.body(discover).contains("ddlKolonne=ar"))
        var posts = 0
        var step = try c.next(after: try Self.page("yearly-arsak-value.html"))
        while case .fetch(let r) = step {
            posts += 1
            if posts == 1 { #expect(Self.body(r).contains("lbAar=2015") && Self.body(r).contains("ddlKolonne=dag")) }
            step = try c.next(after: try Self.page("daily-arsak-2024-02-value-kr.html"))
        }
        #expect(posts == 11 * 12, "the saved yearly table has 2015–2025")
        guard case .finish(.fetched(let pages)) = step else { return }
        #expect(pages.count == 132)
    }
}

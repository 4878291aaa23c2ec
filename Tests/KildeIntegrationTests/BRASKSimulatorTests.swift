import Foundation
import KildeCore
import KildeHTML
import KildeSimulator
import KildeSources
import KildeUpstream
import Testing

/// The simulated BRASK WebForms page, driven over loopback and read with Kilde's own page parser.
@Suite("BRASK simulator", .serialized)
struct BRASKSimulatorTests {
    @Test func theFormCarriesWebFormsStateASessionCookieAndEveryControl() async throws {
        try await BRASKBrowser.with { browser in
            let page = try await browser.open()
            #expect(page.isDemo)
            #expect(page.setCookies.contains { $0.hasPrefix("ASP.NET_SessionId=") })
            #expect(String(decoding: page.body, as: UTF8.self).contains("DEMO DATA"))
            let form = try BRASKForm.parse(page.body)
            #expect(Set(form.stateFields.map(\.name)).isSuperset(of: ["__VIEWSTATE", "__VIEWSTATEGENERATOR", "__EVENTVALIDATION", "__EVENTTARGET", "__EVENTARGUMENT"]))
            #expect(form.select("ddlRad")?.options.map(\.value) == ["ar", "maned", "dag", "arsak", "kilde", "type", "naering", "bygningsalder"])
            #expect(form.select("ddlKolonne")?.isMultiple == false)
            #expect(form.select("lbNaering")?.options.map(\.value) == (0...21).map(String.init) + ["99"])
            #expect(form.select("lbAldersgruppe")?.options.map(\.label) == ["Ny", "1-5", "6-10", "11-15", "16-20", "21-25", "26-30", "31-40", "41-50", "51-75", "76-100", "Over 100", "Ukjent"])
            #expect(form.select("lbType")?.options.map { "\($0.value)=\($0.label)" } == ["1=Varm", "2=Kald"])
            #expect(form.select("lbMaaned")?.options.count == 12)
            #expect(form.radioButtons("rblVerdi").map(\.value) == ["1", "2"])
        }
    }

    @Test func hiddenFieldsRoundTripFromPageToPage() async throws {
        try await BRASKBrowser.with { browser in
            var form = try await browser.form()
            for year in ["2023", "2024", "2025"] {
                // Each answer carries a fresh form; posting through it (not the first one) works again and again.
                let answer = try await browser.post(try form.submission(["lbAar": [year], "ddlKolonne": ["ar"]]))
                let pivot = try BRASKResultPage.parse(answer.body)
                #expect(pivot.columnLabels == [year])
                #expect(pivot.corner == "Årsak")
                #expect((pivot.total ?? 0) > 10_000, "a year has thousands of demo fires")
                let next = try BRASKForm.parse(answer.body)
                #expect(next.stateFields.first { $0.name == "__VIEWSTATE" } != form.stateFields.first { $0.name == "__VIEWSTATE" })
                #expect(next.select("lbAar")?.submittedValues == [year], "the answer shows the query it answers")
                form = next
            }
        }
    }

    @Test func aStaleViewStateFailsAndAFreshFormWorks() async throws {
        try await BRASKBrowser.with { browser in
            let form = try await browser.form()
            let query = try form.submission(["lbAar": ["2024"]])
            _ = try BRASKResultPage.parse(try await browser.post(query).body)
            try await browser.control("/_sim/brask/rotate")
            let stale = await #expect(throws: UpstreamError.self) { try await browser.post(query) }
            #expect(stale?.status == 500)
            #expect(stale?.reason.contains("Validation of viewstate MAC failed") == true)
            // The adapter's remedy: fetch the form again (a new session) and post through it.
            let fresh = try await browser.form()
            #expect(try await browser.pivot(fresh, ["lbAar": ["2024"]]).columnLabels == ["2024"])

            // Automatic rotation: after every accepted post, the tokens on the page just served are stale.
            try await browser.control("/_sim/brask/rotate?every=1")
            let page = try await browser.post(try (try await browser.form()).submission(["lbAar": ["2024"]]))
            let next = try BRASKForm.parse(page.body)
            let again = await #expect(throws: UpstreamError.self) { try await browser.post(try next.submission(["lbAar": ["2023"]])) }
            #expect(again?.status == 500)
            #expect(await browser.sim.simulator.brask.state.counts.rejected == 2)
        }
    }

    @Test func thePostNeedsTheSessionCookieAndUnchangedState() async throws {
        try await BRASKBrowser.with { browser in
            let form = try await browser.form()
            let fields = try form.submission(["lbAar": ["2024"]])
            let noCookie = await #expect(throws: UpstreamError.self) { try await browser.post(fields, cookies: CookieJar()) }
            #expect(noCookie?.status == 500)
            // Another session's cookie does not fit this session's viewstate either.
            let other = BRASKBrowser(fetcher: browser.fetcher, sim: browser.sim)
            _ = try await other.open()
            let foreign = await #expect(throws: UpstreamError.self) { try await browser.post(fields, cookies: other.jar) }
            #expect(foreign?.status == 500)
            let tampered = fields.map { $0.name == "__VIEWSTATE" ? HTMLField(name: $0.name, value: $0.value + "AA") : $0 }
            #expect(await #expect(throws: UpstreamError.self) { try await browser.post(tampered) }?.status == 500)
            // A value the form never offered fails event validation.
            let unoffered = fields.map { $0.name.hasSuffix("$lbAar") ? HTMLField(name: $0.name, value: "1999") : $0 }
            let invalid = await #expect(throws: UpstreamError.self) { try await browser.post(unoffered) }
            #expect(invalid?.reason.contains("Invalid postback or callback argument") == true)
            // Without __VIEWSTATE it is no postback: the bare form, with no result table.
            let bare = try await browser.post(fields.filter { $0.name != "__VIEWSTATE" })
            let error = #expect(throws: BRASKPageError.self) { try BRASKResultPage.parse(bare.body) }
            #expect(error?.code == .noTable)
            // The unchanged fields still work.
            #expect(try BRASKResultPage.parse(try await browser.post(fields).body).columnLabels == ["2024"])
        }
    }

    @Test func aYearWithoutDataIsHTTP500() async throws {
        try await BRASKBrowser.with { browser in
            let form = try await browser.form()
            let years = try #require(form.select("lbAar")?.options.compactMap { Int($0.value) })
            let withData = browser.sim.simulator.brask.fires.years
            let empty = try #require(years.first { !withData.contains($0) }, "the form offers a year without data")
            let error = await #expect(throws: UpstreamError.self) {
                try await browser.post(try form.submission(["lbAar": [String(empty)], "ddlKolonne": ["maned"]]))
            }
            #expect(error?.status == 500)
            #expect(await browser.sim.simulator.brask.state.counts.noData == 1)
            #expect(try await browser.pivot(form, ["lbAar": [String(withData.upperBound)]]).total != nil)
        }
    }
}

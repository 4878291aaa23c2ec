import Foundation
import Hummingbird
import HummingbirdTesting
import KildeCatalog
import KildeCore
import KildeStore
import Testing

/// The explorer's pages as served HTML, without a browser (the browser tests in Tests/Browser run them in Chromium).
@Suite("Explorer pages", .serialized)
struct ExplorerPageTests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func mapPaintsEveryKommuneWithAValueAndSaysDemoData() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let result = try await env.pipeline.run(dataset: "ssb-08764")
            _ = try await env.store.materializeKommuneIndicators(seed: try BundledSeeds.kommuneDim(), trigger: "run \(result.runID)")
            try await ServerHarness.test(env) { client in
                let html = String(buffer: try await client.execute(uri: "/map?indicator=ssb-08764&year=2023", method: .get).body)
                #expect(Self.count("<path class=\"k", in: html) == 357)
                #expect(Self.count(" data-v=\"", in: html) == 357)
                #expect(Self.count("fill=\"url(#nodata)\"", in: html) == 0)
                #expect(html.contains("Kilde: Statistisk sentralbyrå, tabell 08764"))
                #expect(html.contains("DEMO DATA"))
                // 12058 has no facts in this store: every kommune is drawn as no data, none painted.
                let fires = String(buffer: try await client.execute(uri: "/map?indicator=ssb-12058", method: .get).body)
                #expect(Self.count("fill=\"url(#nodata)\"", in: fires) == 357)
                #expect(fires.contains("tabell 12058"))
                let catalogue = String(buffer: try await client.execute(uri: "/", method: .get).body)
                #expect(catalogue.contains("data-asset=\"mart:kommune_indicators\""))
                #expect(catalogue.contains("DEMO DATA"))
            }
        }
    }

    @Test func anEmptySliceOffersAnIngestThatWorksWithoutJavaScript() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, ingestKey: "k", explore: ExploreIngestGuardTests.guardian()) { client in
                let empty = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-08764&region=0301&years=2021-2023", method: .get).body)
                #expect(empty.contains("id=\"ingestform\""))
                // The form carries the page's selection, so the ingest covers this slice, not the whole plan.
                #expect(empty.contains("<input type=\"hidden\" name=\"region\" value=\"0301\">"))
                #expect(empty.contains("<input type=\"hidden\" name=\"years\" value=\"2021-2023\">"))
                let fields = try await ExploreIngestGuardTests.offer(client, "dataset=ssb-08764&region=0301&years=2021-2023")
                #expect(fields["back"] == "dataset=ssb-08764&region=0301&years=2021-2023")
                let token = try #require(fields["token"])
                let post = try await client.execute(uri: "/explore/ingest", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "dataset=ssb-08764&years=2021-2023&region=0301&token=\(token)&back=dataset%3Dssb-08764%26region%3D0301%26years%3D2021-2023"))
                #expect(post.status == .seeOther)
                let location = try #require(post.headers[.location])
                #expect(location.hasPrefix("/explore?dataset=ssb-08764&region=0301&years=2021-2023&run="))
                var page = ""
                for _ in 0..<200 {
                    page = String(buffer: try await client.execute(uri: location, method: .get).body)
                    if page.contains("data-status=\"complete\"") { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(page.contains("id=\"runprogress\""))
                #expect(page.contains("data-status=\"complete\""))
                #expect(Self.count("<polyline class=\"series\"", in: page) == 5, "08764's five contents codes, one region: five series")
                #expect(page.contains("(1/1 utsnitt"), "one slice: Oslo, not the whole country and every kommune")
                let bergen = String(buffer: try await client.execute(uri: "/explore?dataset=ssb-08764&region=4601&years=2021-2023", method: .get).body)
                #expect(bergen.contains("id=\"empty\""))
                let badForm = try await client.execute(uri: "/explore/ingest", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                       body: ByteBuffer(string: "dataset=ssb-08764&region=9999"))
                #expect(badForm.status == .badRequest)
                #expect(try ServerHarness.json(badForm)["parameter"] as? String == "region")
            }
        }
    }
}


import Foundation
import KildeCatalog
import KildeCore
import KildeSimulator
import KildeSources
import KildeUpstream

/// Saves real simulator pages (DEMO DATA): the form fetched and posted over loopback as an adapter would.
enum SavePage {
    /// The benchmark's page: January 2024, every cause × the 31 day columns, counts.
    static let benchmarkQuery = ["ddlRad": ["arsak"], "ddlKolonne": ["dag"], "lbAar": ["2024"], "lbMaaned": ["1"], "rblVerdi": ["1"]]

    static func run(to path: String) async throws {
        try await withSimulator { client in
            let page = try await client.post(benchmarkQuery)
            try Data(page).write(to: URL(fileURLWithPath: path))
            let pivot = try BRASKResultPage.parse(page, columns: .days)
            FileHandle.standardError.write(Data("saved \(page.count) bytes: \(pivot.rowLabels.count) causes × \(pivot.columnLabels.count) days (DEMO DATA)\n".utf8))
        }
    }

    /// The fuzzer's seeds: the form, result pages of several shapes and both metrics, a message page, and the
    /// ASP.NET error page of a stale viewstate.
    static func seeds(into directory: String) async throws {
        let queries: [(String, [String: [String]])] = [
            ("result-arsak-dag", benchmarkQuery),
            ("result-kilde-maned-kr", ["ddlRad": ["kilde"], "ddlKolonne": ["maned"], "lbAar": ["2023"], "rblVerdi": ["2"]]),
            ("result-naering-type", ["ddlRad": ["naering"], "ddlKolonne": ["type"], "lbAar": ["2022", "2023"]]),
            ("result-dag-bygningsalder-feb", ["ddlRad": ["dag"], "ddlKolonne": ["bygningsalder"], "lbAar": ["2023"], "lbMaaned": ["2"], "lbType": ["2"]]),
            ("message-same-axes", ["ddlRad": ["arsak"], "ddlKolonne": ["arsak"]]),
        ]
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func save(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + ".html"))
        }
        try await withSimulator { client in
            try save("form", client.formPage)
            for (name, query) in queries { try save(name, try await client.post(query)) }
            await client.sim.simulator.brask.state.rotate()
            do {
                _ = try await client.post(benchmarkQuery)
            } catch let error as UpstreamError {
                // The fetcher keeps the first 200 bytes of a refused answer: the head of ASP.NET's error page.
                try save("error-stale-viewstate-head", Array(error.reason.utf8.drop { $0 != UInt8(ascii: "<") }))
            }
        }
    }

    /// A client with the form of a fresh session, for the length of `body`.
    struct Client {
        let fetcher: HTTPFetcher
        let sim: RunningSimulator
        let base: String
        let jar: CookieJar
        let formPage: [UInt8]

        func post(_ query: [String: [String]]) async throws -> [UInt8] {
            let fields = try BRASKForm.parse(formPage).submission(query)
            return try await fetcher.fetch(.form(url: base, fields: fields.map { ($0.name, $0.value) }), cookies: jar).body
        }
    }

    static func withSimulator(_ body: (Client) async throws -> Void) async throws {
        let registry = try Registry(catalog: BundledCatalog.load())
        try await RunningSimulator.with(registry: registry) { sim in
            var config = HTTPFetcher.Configuration()
            config.retry.maxAttempts = 1
            let fetcher = HTTPFetcher(configuration: config)
            do {
                let base = sim.baseURLs["brask", default: sim.baseURL + "/brask"] + "/"
                let jar = CookieJar()
                let form = try await fetcher.fetch(UpstreamRequest(url: base), cookies: jar).body
                try await body(Client(fetcher: fetcher, sim: sim, base: base, jar: jar, formPage: form))
                try await fetcher.shutdown()
            } catch {
                try? await fetcher.shutdown()
                throw error
            }
        }
    }
}

import KildeCatalog
import KildeCore
import KildeHTML
import KildeSimulator
import KildeSources
import KildeStore
import KildeUpstream

/// Drives the simulated BRASK form over loopback as a browser does, with Kilde's HTTP client and page parser: GET
/// the form (keeping the session cookie), post a query with the form's state, read the next form from the answer.
final class BRASKBrowser: Sendable {
    let fetcher: HTTPFetcher
    let sim: RunningSimulator
    let jar: CookieJar
    var base: String { sim.baseURLs["brask", default: sim.baseURL + "/brask"] }

    init(fetcher: HTTPFetcher, sim: RunningSimulator, jar: CookieJar = CookieJar()) {
        self.fetcher = fetcher
        self.sim = sim
        self.jar = jar
    }

    /// A simulator, a client that never retries (a refused post must show as its status, not be sent again) and
    /// a browser, for the length of `body`.
    static func with<T>(_ body: (BRASKBrowser) async throws -> T) async throws -> T {
        let registry = try Registry(catalog: BundledCatalog.load())
        return try await RunningSimulator.with(registry: registry) { sim in
            var config = HTTPFetcher.Configuration()
            config.retry.maxAttempts = 1
            config.defaultRateLimit = 100_000
            config.requestTimeout = .seconds(30)
            let fetcher = HTTPFetcher(configuration: config)
            return try await ServiceScope.run([fetcher]) { try await body(BRASKBrowser(fetcher: fetcher, sim: sim)) }
        }
    }

    /// `GET /brask/`: the form page.
    func open() async throws -> UpstreamResponse {
        try await fetcher.fetch(UpstreamRequest(url: base + "/"), cookies: jar)
    }

    /// The form of a fresh `GET /brask/`.
    func form() async throws -> BRASKForm {
        try BRASKForm.parse(try await open().body)
    }

    /// Posts `fields` to the form's action with this browser's cookies (or with `cookies`).
    func post(_ fields: [HTMLField], cookies: CookieJar? = nil) async throws -> UpstreamResponse {
        try await fetcher.fetch(UpstreamRequest.form(url: base + "/", fields: fields.map { ($0.name, $0.value) }), cookies: cookies ?? jar)
    }

    /// Posts a query through `form` and parses the result table.
    func pivot(_ form: BRASKForm, _ choices: [String: [String]], columns: BRASKResultPage.Columns = .any) async throws -> BRASKPivot {
        try BRASKResultPage.parse(try await post(try form.submission(choices)).body, columns: columns)
    }

    /// A control endpoint of the simulator, e.g. `/_sim/brask/rotate`.
    func control(_ path: String) async throws {
        _ = try await fetcher.fetch(UpstreamRequest(method: "POST", url: sim.baseURL + path))
    }
}

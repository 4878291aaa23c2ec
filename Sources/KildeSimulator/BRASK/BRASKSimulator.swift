import Foundation
import HTTPTypes
import Hummingbird
import KildeCore
import NIOCore

/// The simulated BRASK (Finans Norge's fire-damage statistics, an ASP.NET WebForms page), mounted under `/brask`:
/// `GET /brask/` serves the query form with its WebForms state and a session cookie; `POST /brask/` with that
/// state, the cookie and a query serves the page with the result table. It fails as ASP.NET does: a post with a
/// stale, foreign or changed `__VIEWSTATE`, or without the session cookie, gets HTTP 500 "Validation of viewstate
/// MAC failed"; one with a value the form did not offer gets "Invalid postback or callback argument"; a post with
/// no `__VIEWSTATE` is no postback and gets the bare form; a year without data gets HTTP 500.
///
/// Control endpoints: `POST /_sim/brask/rotate` (recycle now; `?every=N` after every N accepted posts, 0 off),
/// `POST /_sim/brask/revise?days=2024-01-15,2024-02-03&delta=3` (move those days' fire counts; `?clear=true`
/// undoes every revision), `GET /_sim/brask/stats`. Queued faults (`/_sim/fault`) apply to the posts.
public struct BRASKSimulator: Sendable {
    /// The generated register (DEMO DATA).
    public let fires: BRASKFires
    public let state: BRASKState
    /// The years the form offers: the years with data and a few without.
    public let offeredYears: ClosedRange<Int>
    /// The session cookie's name, as ASP.NET calls it.
    public static let sessionCookie = "ASP.NET_SessionId"

    public init(fires: BRASKFires = BRASKFires(), state: BRASKState = BRASKState()) {
        self.fires = fires
        self.state = state
        self.offeredYears = (fires.years.lowerBound - 3)...(fires.years.upperBound + 1)
    }

    /// The table a query gives now, with the current revisions.
    func table(_ query: BRASKQuery) async -> BRASKTable {
        fires.table(query, revisions: await state.revisions)
    }

    func mount(_ router: Router<BasicRequestContext>, at mount: String, faults: SimulatorState) {
        let sim = self
        router.get(RouterPath(mount)) { request, _ in await sim.form(request, faults: faults) }
        router.post(RouterPath(mount)) { request, _ in try await sim.post(request, faults: faults) }
        router.post("/_sim/brask/rotate") { request, _ in
            if let every = request.uri.queryParameters.get("every") {
                guard let n = Int(every), (0...Fault.maxTimes).contains(n) else { return Response.error(.badRequest, "every takes 0 to \(Fault.maxTimes)") }
                await sim.state.rotate(every: n)
                return Response.text("BRASK recycles after every \(n) accepted posts\n")
            }
            await sim.state.rotate()
            return Response.text("BRASK recycled: earlier __VIEWSTATE values and sessions are stale\n")
        }
        router.post("/_sim/brask/revise") { request, _ in
            if request.uri.queryParameters.get("clear") == "true" {
                await sim.state.clearRevisions()
                return Response.text("BRASK revisions cleared\n")
            }
            let spec = request.uri.queryParameters.get("days") ?? ""
            let days = spec.split(separator: ",").map { CivilDate(String($0)) }
            guard !days.isEmpty, days.allSatisfy({ $0 != nil }), let delta = Int(request.uri.queryParameters.get("delta") ?? ""),
                  abs(delta) <= 10_000 else {
                return Response.error(.badRequest, "revise takes days=YYYY-MM-DD,… (real days) and delta=-10000…10000")
            }
            await sim.state.revise(days.compactMap { $0 }, by: delta)
            return Response.text("BRASK days \(spec) moved by \(delta) fires\n")
        }
        router.get("/_sim/brask/stats") { _, _ in
            let c = await sim.state.counts
            return Response.json("{\"form_pages\":\(c.formPages),\"results\":\(c.results),\"rejected\":\(c.rejected),\"no_data\":\(c.noData)}", demo: false)
        }
    }

    /// `GET /`: the empty form in a new session (or the session the cookie names, while the application knows it).
    func form(_ request: Request, faults: SimulatorState) async -> Response {
        // Counted with the metadata requests: the form is where a client learns the options, as PxWeb's metadata.
        await faults.countMetadata()
        await state.countForm()
        let (session, isNew) = await session(request)
        let page = BRASKPageWriter.page(state: await state.issue(for: session), query: BRASKQuery(), offeredYears: offeredYears, result: .none)
        return .html(page, setCookie: isNew ? session : nil)
    }

    func session(_ request: Request) async -> (String, isNew: Bool) {
        if let known = await state.knownSession(request.cookies[Self.sessionCookie]?.value) { return (known, false) }
        return (await state.newSession(), true)
    }

    /// `POST /`: checks the WebForms state and the query as ASP.NET would, then serves the result page.
    func post(_ request: Request, faults: SimulatorState) async throws -> Response {
        let fault = await faults.nextFault(table: "brask")
        if let early = try await UpstreamSimulator.early(fault) { return early }
        let fields = BRASKFormBody.decode(Array(try await request.body.collect(upTo: 1 << 20).readableBytesView))
        guard let viewState = fields.first("__VIEWSTATE") else {
            // Without __VIEWSTATE ASP.NET sees no postback: the bare form, no result.
            return await form(request, faults: faults)
        }
        let checked = await state.accept(viewState: viewState, eventValidation: fields.first("__EVENTVALIDATION"),
                                         session: request.cookies[Self.sessionCookie]?.value)
        let session: String, query: BRASKQuery
        switch checked.flatMap({ s in BRASKFormBody.query(fields, offeredYears: offeredYears).map { (s, $0) } }) {
        case .success(let (s, q)):
            (session, query) = (s, q)
        case .failure(let refusal):
            await state.countRejected()
            return .html(BRASKPageWriter.serverError(refusal.title, detail: refusal.detail), status: .internalServerError)
        }
        var result = BRASKPageWriter.Result.none
        if fields.first("ctl00$Innhold$btnVis") != nil {
            if let empty = query.years(in: fires).first(where: { !fires.years.contains($0) }) {
                await state.countNoData()
                return .html(BRASKPageWriter.serverError("Object reference not set to an instance of an object.",
                                                         detail: "An unhandled exception occurred: there is no data for \(empty)."),
                             status: .internalServerError)
            }
            result = query.row == query.column ? .message("Velg forskjellige verdier for rad og kolonne.") : .table(await table(query))
        }
        let page = BRASKPageWriter.page(state: await state.issue(for: session), query: query, offeredYears: offeredYears, result: result,
                                        resultID: fault == .renamedDimension ? "ctl00_Innhold_lblResultatNy" : "ctl00_Innhold_lblResultat")
        await state.accepted()
        return .html(UpstreamSimulator.damaged(page, by: fault))
    }
}

extension Response {
    /// An HTML page marked as demo data, with the session cookie when one was started.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, setCookie session: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[HTTPField.Name("X-Kilde-Demo")!] = "1"  // swift-format-ignore: NeverForceUnwrap (constant, valid name)
        if let session { headers[.setCookie] = "\(BRASKSimulator.sessionCookie)=\(session); path=/; HttpOnly; SameSite=Lax" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

import Hummingbird
import KildeCore

/// The simulated BRIS aggregation API (DEMO DATA), mounted under the simulator's `/bris`:
/// `POST {mount}/api/v1/missionreports/aggregate` (Police questions) and `…/restrictedaggregation` (fire brigade and
/// DSB questions; `interval: YEAR` only, MONTH and DAY are answered 403, as the live service does). Bodies and
/// answers are ``BRISQuery`` and ``BRISAnswer``; counts come from ``BRISGenerator``. Data requests are counted in
/// `/_sim/stats` under the reporter's source key, and take the queued faults like every other data request.
struct BRISSimulator: Sendable {
    let state: SimulatorState
    let generator = BRISGenerator()

    /// The path under the mount both endpoints live at.
    static let path = "/api/v1/missionreports"

    func register(on router: Router<BasicRequestContext>, mount: String) {
        let sim = self
        for endpoint in BRISVocabulary.Endpoint.allCases {
            router.post("\(mount)\(Self.path)/\(endpoint.rawValue)") { request, _ in
                let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
                return try await sim.answer(body, endpoint: endpoint)
            }
        }
        Self.registerRevise(on: router, state: state)
    }

    /// `POST /_sim/bris/revise?days=2025-03-05,2025-03-20&delta=2`: every answer label of those days gains `delta`
    /// missions per mission type and building group asked for (late reports), until the simulator is reset.
    static func registerRevise(on router: Router<BasicRequestContext>, state: SimulatorState) {
        router.post("/_sim/bris/revise") { request, _ in
            let spec = request.uri.queryParameters.get("days") ?? ""
            let days = spec.split(separator: ",").map { CivilDate(String($0)) }
            guard !days.isEmpty, days.allSatisfy({ $0 != nil }), let delta = Int(request.uri.queryParameters.get("delta") ?? ""),
                  abs(delta) <= 10_000 else {
                return Response.error(.badRequest, "revise takes days=YYYY-MM-DD,… (real days) and delta=-10000…10000")
            }
            await state.reviseBRIS(days.compactMap { $0 }, by: delta)
            return Response.text("BRIS days \(spec) moved by \(delta) missions per combination\n")
        }
    }

    func answer(_ body: [UInt8], endpoint: BRISVocabulary.Endpoint) async throws -> Response {
        let parsed = BRISQuery.parse(body)
        let question = (try? parsed.get()).flatMap { generator.vocabulary.question($0.questionID) }
        let fault = await state.nextFault(table: question?.source ?? "bris")
        if let early = try await UpstreamSimulator.early(fault) { return early }
        let query: BRISQuery
        switch parsed {
        case .success(let q): query = q
        case .failure(let e): return Response.error(.badRequest, e.message)
        }
        guard let question, let reporter = generator.vocabulary.reporter(question.source) else {
            return Response.error(.badRequest, "question \(query.questionID) is not simulated")
        }
        guard reporter.endpoint == endpoint else {
            return Response.error(.badRequest, "question \(question.id) is answered by /\(reporter.endpoint.rawValue), not /\(endpoint.rawValue)")
        }
        if endpoint == .restrictedaggregation {
            guard query.interval == .year else {
                return Response.error(.forbidden, "interval \(query.interval.rawValue) is not allowed on restricted datasets; only YEAR is")
            }
            guard query.buildingTypes == nil else { return Response.error(.badRequest, "buildingTypes is not accepted by /restrictedaggregation") }
        }
        if let unknown = query.missionTypes?.first(where: { !reporter.missionTypes.contains($0) }) {
            return Response.error(.badRequest, "mission type \(unknown) is not one of \(reporter.source)'s (\(reporter.missionTypes.joined(separator: ", ")))")
        }
        if let unknown = query.buildingTypes?.first(where: { !reporter.buildingGroups.contains($0) }) {
            return Response.error(.badRequest, "building type \(unknown) is not a Matrikkel group BRIS knows (\(reporter.buildingGroups.joined(separator: ", ")))")
        }
        let revised = await state.revised, moved = await state.brisRevisions
        let text = BRISAnswer(generator: generator).json(query, question: question, revised: revised, moved: moved,
                                                         missingAnswerKey: fault == .missingAnswerRenamed ? "-99" : BRISVocabulary.missingAnswer)
        return Response.json(UpstreamSimulator.damaged(text, by: fault), demo: true)
    }
}

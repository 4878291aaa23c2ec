import KildeCore
import KildeUpstream

/// One BRASK session's form protocol, a pure state machine (SPEC §6), shared by the yearly and the daily
/// conversations:
///
/// 1. `GET` the form once per run: a session cookie (the pipeline keeps it in the run's jar for this session) and the
///    hidden WebForms fields; the run's later slices start from the form the last page carried.
/// 2. `POST` each cursor's selection with those fields; every result page carries a fresh form, whose fields the
///    next post sends back.
/// 3. A post refused for its state (ASP.NET's "Validation of viewstate MAC failed" after the application recycled,
///    or its event validation) fetches a fresh form and posts again, once; refused again, the slice fails.
/// 4. Any other HTTP 500 (BRASK's answer for a year without data) fails the slice naming the cursor:
///    `BRASK POST 500 (2024-01)`.
struct BRASKSession: Sendable {
    let request: BRASKRequest
    /// The run's form, shared by the sessions of its slices (``BRASKPrepared``): kept current as pages arrive.
    let shared: Locked<BRASKForm?>
    private var form: BRASKForm? {
        get { shared.withLock { $0 } }
        nonmutating set { shared.withLock { $0 = newValue } }
    }
    /// Whether the last request was the form page (then the cursor's post follows).
    private var awaitingForm = false
    /// Whether the current cursor has already been posted again through a fresh form.
    private var refreshed = false

    init(request: BRASKRequest, shared: Locked<BRASKForm?>) {
        self.request = request
        self.shared = shared
    }

    /// The session conversations of one run share (their cookies): the form's URL.
    var key: String { request.adapter.formURL }

    var name: String { request.adapter.upstreamName }

    /// The first request for `cursor`: the form when the session has none yet, else the post.
    mutating func start(_ cursor: BRASKCursor) throws(IngestError) -> UpstreamRequest {
        refreshed = false
        guard let form else {
            awaitingForm = true
            return request.formPage()
        }
        return try request.post(form, cursor)
    }

    /// The response to the last request for `cursor`: the cursor's result page, or the next request (the post
    /// after a form page; a fresh form after a refused state).
    mutating func receive(_ r: UpstreamResponse, for cursor: BRASKCursor) throws(IngestError) -> DailyTransportStep {
        if awaitingForm {
            awaitingForm = false
            let fresh = try readForm(r, after: "GET form")
            form = fresh
            return .fetch(try request.post(fresh, cursor))
        }
        guard r.status == 200 else { return try refused(r, cursor: cursor) }
        // The result page carries the form for the next post.
        form = try readForm(r, after: "POST (\(cursor))")
        return .answer(r)
    }

    /// A post answered with an error page: a stale or refused state gets one fresh form; anything else fails the
    /// slice naming the cursor.
    private mutating func refused(_ r: UpstreamResponse, cursor: BRASKCursor) throws(IngestError) -> DailyTransportStep {
        let page = BRASKPage.errorMessage(r.body)
        if BRASKPage.isStateRefusal(page) {
            guard refreshed else {
                refreshed = true
                awaitingForm = true
                return .fetch(request.formPage())
            }
            throw IngestError(.upstream, dataset: request.dataset, slice: request.slice.label,
                              message: "\(name) POST \(r.status) (\(cursor)): the form's state was refused again after a fresh form: \(page ?? "no message")")
        }
        throw IngestError(.upstream, dataset: request.dataset, slice: request.slice.label,
                          message: "\(name) POST \(r.status) (\(cursor))" + (page.map { ": \($0)" } ?? ""))
    }

    private func readForm(_ r: UpstreamResponse, after step: String) throws(IngestError) -> BRASKForm {
        do throws(BRASKPageError) {
            return try BRASKForm.parse(r.body)
        } catch {
            throw IngestError(error.code == .serverError ? .upstream : .schemaChanged, dataset: request.dataset, slice: request.slice.label,
                              message: "\(name) \(step): \(error.description)", underlying: error)
        }
    }
}

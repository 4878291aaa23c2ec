import KildeCore
import KildeUpstream

/// One slice's conversation with the BRASK form, a pure state machine (SPEC §6):
///
/// 1. `GET` the form: a session cookie (the pipeline's cookie jar keeps it) and the hidden WebForms fields.
/// 2. `POST` the selection with those fields, one post per cursor (the yearly table, or each month of a daily
///    window); every result page carries a fresh form, whose fields the next post sends back.
/// 3. A post refused for its state (ASP.NET's "Validation of viewstate MAC failed" after the application recycled,
///    or its event validation) fetches a fresh form and posts again, once; refused again, the slice fails.
/// 4. Any other HTTP 500 (BRASK's answer for a year without data) fails the slice naming the cursor:
///    `BRASK POST 500 (2024-01)`.
///
/// A daily slice without a window first asks the yearly table which years have data, and then walks their months.
/// The conversation finishes with the result pages, in cursor order, for ``BRASKTransform``.
struct BRASKConversation: Conversation {
    typealias Outcome = SliceFetch

    private enum Awaiting {
        case start
        /// A form page; then post the current cursor.
        case form
        /// The answer to the post of the current cursor.
        case post(BRASKCursor)
    }

    let request: BRASKRequest
    /// The cursors to post, in order; `nil` until a daily slice without a window has learnt its years.
    private var cursors: [BRASKCursor]?
    private var next = 0
    private var form: BRASKForm?
    private var awaiting = Awaiting.start
    /// Whether the current cursor has already been posted again through a fresh form.
    private var refreshed = false
    private var pages: [UpstreamResponse] = []

    init(request: BRASKRequest) {
        self.request = request
        self.cursors = request.cursors
    }

    var name: String { request.adapter.upstreamName }

    /// The cursor to post now: the next one, or the yearly table that tells a windowless daily slice its years.
    private var current: BRASKCursor? {
        guard let cursors else { return .years(nil) }
        return next < cursors.count ? cursors[next] : nil
    }

    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<SliceFetch> {
        switch (awaiting, reply) {
        case (.start, nil):
            awaiting = .form
            return .fetch(request.formPage())
        case (.form, .response(let r)):
            form = try readForm(r, after: "GET form")
            return try postCurrent()
        case (.post(let cursor), .response(let r)):
            if r.status != 200 { return try refused(r, cursor: cursor) }
            refreshed = false
            if cursors == nil {
                cursors = try years(in: r).flatMap { BRASKRequest.months(YearWindow(first: $0, last: $0)) }
            } else {
                pages.append(r)
                next += 1
            }
            // The result page carries the form for the next post.
            form = try readForm(r, after: "POST (\(cursor))")
            return try postCurrent()
        default:
            throw IngestError(.unexpected, dataset: request.dataset, slice: request.slice.label, message: "\(name) conversation got a reply it did not ask for")
        }
    }

    private mutating func postCurrent() throws(IngestError) -> ConversationStep<SliceFetch> {
        guard let cursor = current else { return .finish(.fetched(pages)) }
        guard let form else { throw IngestError(.unexpected, dataset: request.dataset, slice: request.slice.label, message: "\(name) post without a form") }
        awaiting = .post(cursor)
        return .fetch(try request.post(form, cursor))
    }

    /// A post answered with an error page: a stale or refused state gets one fresh form; anything else fails the
    /// slice naming the cursor.
    private mutating func refused(_ r: UpstreamResponse, cursor: BRASKCursor) throws(IngestError) -> ConversationStep<SliceFetch> {
        let page = BRASKPage.errorMessage(r.body)
        if BRASKPage.isStateRefusal(page) {
            guard refreshed else {
                refreshed = true
                awaiting = .form
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

    /// The years a yearly table has columns for.
    private func years(in r: UpstreamResponse) throws(IngestError) -> [Int] {
        do throws(BRASKPageError) {
            let pivot = try BRASKResultPage.parse(r.body)
            var out: [Int] = []
            for label in pivot.columnLabels {
                guard label.count == 4, let y = Int(label) else { throw BRASKPageError(.unexpectedHeader, "column '\(label)' of the yearly table is not a year") }
                out.append(y)
            }
            return out
        } catch {
            throw IngestError(.schemaChanged, dataset: request.dataset, slice: request.slice.label, message: "\(name) (all years): \(error.description)", underlying: error)
        }
    }
}

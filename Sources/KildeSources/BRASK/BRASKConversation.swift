import KildeCore
import KildeUpstream

/// A yearly slice's conversation with the BRASK form: one session (``BRASKSession``), one post with the window's
/// years as columns. Finishes with the result page for ``BRASKTransform``. Daily slices go through the daily gates
/// instead (``DailyGate`` over ``BRASKDailyTransport``).
struct BRASKConversation: Conversation {
    typealias Outcome = SliceFetch

    private var session: BRASKSession
    private let cursor: BRASKCursor
    private var started = false

    init(request: BRASKRequest) {
        self.session = BRASKSession(request: request)
        self.cursor = .years(request.slice.years)
    }

    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<SliceFetch> {
        switch reply {
        case nil where !started:
            started = true
            return .fetch(try session.start(cursor))
        case .response(let r)?:
            switch try session.receive(r, for: cursor) {
            case .fetch(let request): return .fetch(request)
            case .answer(let page): return .finish(.fetched([page]))
            }
        default:
            throw IngestError(.unexpected, dataset: session.request.dataset, slice: session.request.slice.label,
                              message: "\(session.name) conversation got a reply it did not ask for")
        }
    }
}

import KildeCore
import KildeUpstream

/// A yearly slice's conversation with the BRASK form: one session (``BRASKSession``), one post with the window's
/// years as columns. Finishes with the result page for ``BRASKTransform``. Daily slices go through the daily gates
/// instead (``DailyGate`` over ``BRASKDailyTransport``).
struct BRASKConversation: Conversation {
    typealias Outcome = SliceFetch

    private var sessionState: BRASKSession
    private let cursor: BRASKCursor
    private var started = false

    init(session: BRASKSession) {
        self.sessionState = session
        self.cursor = .years(session.request.slice.years)
    }

    var session: String? { sessionState.key }

    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<SliceFetch> {
        switch reply {
        case nil where !started:
            started = true
            return .fetch(try sessionState.start(cursor))
        case .response(let r)?:
            switch try sessionState.receive(r, for: cursor) {
            case .fetch(let request): return .fetch(request)
            case .answer(let page): return .finish(.fetched([page]))
            }
        default:
            throw IngestError(.unexpected, dataset: sessionState.request.dataset, slice: sessionState.request.slice.label,
                              message: "\(sessionState.name) conversation got a reply it did not ask for")
        }
    }
}

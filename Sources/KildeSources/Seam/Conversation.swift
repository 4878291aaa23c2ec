import KildeCore
import KildeUpstream

/// What an adapter asks the pipeline to do next in a conversation.
public enum ConversationStep<Outcome: Sendable>: Sendable {
    /// Send this request upstream; its response comes back as ``ConversationReply/response(_:)``.
    case fetch(UpstreamRequest)
    /// Ask the store what it holds for these keys (gate before fetch); the answer comes back as
    /// ``ConversationReply/stored(_:)``, in one store round trip.
    case askStore(SliceKeySet, Metric)
    /// The conversation is over.
    case finish(Outcome)
}

/// What the previous step brought back.
public enum ConversationReply: Sendable {
    case response(UpstreamResponse)
    case stored(StoredTotals)
}

/// A fetch the pipeline drives one step at a time: the adapter says what to ask next given what came back (a form
/// page's hidden fields, a continuation token, a month cursor, or the store's totals), and the pipeline does the
/// asking, so retries, rate limits, deadlines, cookies, bronze landing, metrics, progress and cancellation live in
/// one place. A conversation does no I/O itself: it is a state machine, tested without a network.
public protocol Conversation<Outcome>: Sendable {
    associatedtype Outcome: Sendable

    /// The next step, given what the previous one brought back (`nil` before the first step).
    /// - Throws: ``IngestError`` when a reply cannot be used (e.g. a form page without the field the next request
    ///   needs); the slice fails naming it.
    mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<Outcome>

    /// Where a long conversation is (a daily fan-out), for `phase_detail`; `nil` for one that has no phases.
    var progress: FanoutProgress? { get }

    /// The upstream session this conversation continues, if any: conversations of one run that name the same
    /// session share its cookies (BRASK's form session, so each slice does not start a new one). `nil`: a fresh
    /// cookie jar, nothing shared.
    var session: String? { get }
}

extension Conversation {
    public var progress: FanoutProgress? { nil }
    public var session: String? { nil }
}

/// The conversation most sources need: send these requests in order, then finish with every response.
public struct RequestSequence<Outcome: Sendable>: Conversation {
    let requests: [UpstreamRequest]
    let finish: @Sendable ([UpstreamResponse]) throws(IngestError) -> Outcome
    var responses: [UpstreamResponse] = []

    /// - Parameter finish: makes the outcome from the responses, in the order of `requests`.
    public init(_ requests: [UpstreamRequest], finish: @escaping @Sendable ([UpstreamResponse]) throws(IngestError) -> Outcome) {
        self.requests = requests
        self.finish = finish
    }

    public mutating func next(after reply: ConversationReply?) throws(IngestError) -> ConversationStep<Outcome> {
        if case .response(let r) = reply { responses.append(r) }
        guard responses.count < requests.count else { return .finish(try finish(responses)) }
        return .fetch(requests[responses.count])
    }
}

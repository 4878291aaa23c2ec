import Foundation
import KildeCore

/// The simulated ASP.NET application behind the BRASK form: its sessions, the `__VIEWSTATE` and
/// `__EVENTVALIDATION` tokens it issued, its recycles, and the knobs a test turns (rotation, revised days).
///
/// A token is bound to the session it was issued in (as `ViewStateUserKey = Session.SessionID` binds it) and to the
/// application's generation: a recycle (``rotate()``) forgets every session and makes every earlier token stale,
/// as a recycled application pool with an auto-generated machine key does. A stale token fails the post with
/// ASP.NET's "Validation of viewstate MAC failed", so an adapter must fetch the form again.
public actor BRASKState {
    /// What the simulated application has answered since the last reset.
    public struct Counts: Sendable, Hashable {
        /// Form pages served for a GET, or for a POST that was no postback.
        public var formPages = 0
        /// Result pages (a table or a message) served for an accepted post.
        public var results = 0
        /// Posts refused for their WebForms state (viewstate, event validation, session).
        public var rejected = 0
        /// Posts answered with HTTP 500 for a year without data.
        public var noData = 0
    }

    public private(set) var counts = Counts()
    /// Days whose fire count is moved, and by how much (``revise(_:by:)``).
    public private(set) var revisions: [CivilDate: Int] = [:]
    /// Recycle after this many accepted posts (0: only when asked).
    public private(set) var rotateEvery = 0
    /// How many recycles have happened.
    public private(set) var generation = 1
    private var sessions: Set<String> = []
    private var serial = 0
    private var acceptedSinceRotation = 0
    private let secret: UInt64 = 0x6B69_6C64_6573_696D

    public init() {}

    /// The session a request's cookie names, if the application knows it.
    func knownSession(_ id: String?) -> String? {
        id.flatMap { sessions.contains($0) ? $0 : nil }
    }

    /// Starts a session: a 24-character id like ASP.NET's (`[a-z0-5]`).
    func newSession() -> String {
        serial += 1
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz012345")
        var h = BRASKFires.mix(secret ^ UInt64(serial) ^ UInt64(generation) << 32)
        var id = ""
        for i in 0..<24 {
            if i == 12 { h = BRASKFires.mix(h) }
            id.append(alphabet[Int(h & 31)])
            h >>= 5
        }
        sessions.insert(id)
        return id
    }

    /// Fresh tokens for a page served in `session`.
    func issue(for session: String) -> BRASKPageWriter.State {
        serial += 1
        return BRASKPageWriter.State(viewState: token("VS", session: session), eventValidation: token("EV", session: session))
    }

    /// The session of a post whose WebForms state is valid for the session its cookie names, or why it is refused.
    func accept(viewState: String, eventValidation: String?, session cookie: String?) -> Result<String, BRASKRejection> {
        guard let vs = decode(viewState, kind: "VS") else {
            return .failure(.viewState("the __VIEWSTATE was not issued by this application or was changed"))
        }
        guard vs.generation == generation else {
            return .failure(.viewState("the __VIEWSTATE is stale: it was issued before the application recycled (generation \(vs.generation), now \(generation))"))
        }
        guard let cookie else {
            return .failure(.viewState("the request has no ASP.NET_SessionId cookie, and the __VIEWSTATE belongs to a session"))
        }
        guard sessions.contains(cookie), vs.session == cookie else {
            return .failure(.viewState("the __VIEWSTATE belongs to another session than the ASP.NET_SessionId cookie names"))
        }
        guard let eventValidation, let ev = decode(eventValidation, kind: "EV"), ev.generation == generation, ev.session == cookie else {
            return .failure(.eventValidation("the __EVENTVALIDATION field is missing, changed or stale"))
        }
        return .success(cookie)
    }

    func countForm() { counts.formPages += 1 }
    func countRejected() { counts.rejected += 1 }
    func countNoData() { counts.noData += 1 }

    /// Counts an accepted post; recycles when the automatic rotation is due (after this post's page is written,
    /// so the tokens on that page are already stale).
    func accepted() {
        counts.results += 1
        acceptedSinceRotation += 1
        if rotateEvery > 0 && acceptedSinceRotation >= rotateEvery { rotate() }
    }

    /// Recycles the application now: every session and every token issued so far is stale.
    public func rotate() {
        generation += 1
        sessions = []
        acceptedSinceRotation = 0
    }

    /// Recycles automatically after every `posts` accepted posts (0 turns it off).
    public func rotate(every posts: Int) {
        rotateEvery = max(0, posts)
        acceptedSinceRotation = 0
    }

    /// Moves the fire count of each of `days` by `delta` (fires added, or removed when negative) from now on,
    /// replacing an earlier revision of those days; every other day stays as it was.
    public func revise(_ days: [CivilDate], by delta: Int) {
        for d in days { revisions[d] = delta == 0 ? nil : delta }
    }

    /// Undoes every revision.
    public func clearRevisions() { revisions = [:] }

    /// Back to the original data, sessions, tokens and counts.
    public func reset() {
        counts = Counts()
        revisions = [:]
        rotateEvery = 0
        acceptedSinceRotation = 0
        generation += 1
        sessions = []
    }

    private func token(_ kind: String, session: String) -> String {
        let payload = "\(kind)|\(generation)|\(session)|\(serial)"
        let mac = String(BRASKFires.mix(secret ^ fnv(payload)), radix: 16)
        return "/wEP" + Data("\(payload)|\(mac)".utf8).base64EncodedString()
    }

    private func decode(_ token: String, kind: String) -> (generation: Int, session: String)? {
        guard token.hasPrefix("/wEP"), let data = Data(base64Encoded: String(token.dropFirst(4))),
              let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == kind, let g = Int(parts[1]) else { return nil }
        let payload = parts[0..<4].joined(separator: "|")
        guard parts[4] == String(BRASKFires.mix(secret ^ fnv(payload)), radix: 16) else { return nil }
        return (g, parts[2])
    }

    private func fnv(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// Why the simulated application refuses a post, with ASP.NET's message for it.
enum BRASKRejection: Error, Sendable, Hashable {
    case viewState(String)
    case eventValidation(String)

    var title: String {
        switch self {
        case .viewState: "Validation of viewstate MAC failed."
        case .eventValidation: "Invalid postback or callback argument."
        }
    }

    var detail: String {
        switch self {
        case .viewState(let why), .eventValidation(let why): "Simulated ASP.NET refusal: \(why)."
        }
    }
}

/// A process's side of one Dagster Pipes connection: the context Dagster sent and the channel back.
///
/// `open` reads both from the environment and sends `opened`; the caller reports, then sends `closed` once.
public struct PipesSession: Sendable {
    public let context: PipesContext
    public let channel: PipesChannel

    public init(context: PipesContext, channel: PipesChannel) {
        self.context = context
        self.channel = channel
    }

    /// Opens the connection Dagster described in `environment` and sends `opened`.
    /// - Throws: ``PipesError`` when a variable is missing or malformed, or the channel cannot be written.
    public static func open(environment: [String: String]) throws -> PipesSession {
        guard let context = environment[PipesParams.contextVariable] else { throw PipesError.missingEnvironment(PipesParams.contextVariable) }
        guard let messages = environment[PipesParams.messagesVariable] else { throw PipesError.missingEnvironment(PipesParams.messagesVariable) }
        let session = PipesSession(context: try PipesContext.load(encoded: context), channel: try PipesChannel.from(encoded: messages))
        try session.send(.opened)
        return session
    }

    /// Sends one message.
    /// - Throws: ``PipesError`` when the channel cannot be written.
    public func send(_ message: PipesMessage) throws {
        try channel.write(message)
    }
}

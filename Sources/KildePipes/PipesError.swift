/// Why the Dagster Pipes side of a run could not start or report: the environment Dagster set is missing or
/// malformed, or the message destination cannot be written.
public struct PipesError: Error, CustomStringConvertible, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case missingEnvironment, malformedParams, unreadableContext, unwritableMessages
    }

    let code: Code
    /// One line for a person, naming the variable or file at fault.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func missingEnvironment(_ name: String) -> PipesError {
        PipesError(.missingEnvironment, "--pipes needs \(name), which Dagster sets when it launches the process (PipesSubprocessClient)")
    }

    static func malformedParams(_ name: String, _ why: String) -> PipesError {
        PipesError(.malformedParams, "\(name) is not base64 of zlib-compressed JSON as Dagster Pipes writes it: \(why)")
    }

    static func unreadableContext(_ why: String) -> PipesError { PipesError(.unreadableContext, "Dagster Pipes context: \(why)") }

    static func unwritableMessages(_ why: String) -> PipesError { PipesError(.unwritableMessages, "Dagster Pipes messages: \(why)") }
}

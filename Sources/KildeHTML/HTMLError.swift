/// An HTML document could not be parsed at all.
///
/// libxml2 parses in recover mode, so broken markup (unclosed cells, unquoted attributes) is not an error; only
/// input it cannot make a document of is.
public struct HTMLError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What kind of problem was found.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public var description: String { raw }

        /// No bytes, or nothing libxml2 could make a document of (e.g. only whitespace or a comment).
        public static let empty = Code("empty document")
        /// More bytes than libxml2's `int` length can address.
        public static let tooLarge = Code("document too large")
        /// The encoding named by the caller is one libxml2 does not know.
        public static let unknownEncoding = Code("unknown encoding")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

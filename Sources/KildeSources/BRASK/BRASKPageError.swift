/// A BRASK page (the WebForms query form or a result page) is not what the adapter can use, naming what is missing
/// or where it differs.
public struct BRASKPageError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The class of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public var description: String { raw }

        /// The bytes are not an HTML document at all.
        public static let notHTML = Code("not an HTML page")
        /// ASP.NET's error page ("Server Error in '/' Application"), e.g. for a stale `__VIEWSTATE`.
        public static let serverError = Code("ASP.NET error page")
        /// The page has no `form`, or the form lacks a WebForms field a post needs (`__VIEWSTATE`).
        public static let missingFormField = Code("form field missing")
        /// A query names a control the form does not have, or a value its options do not offer.
        public static let invalidChoice = Code("invalid choice")
        /// No result element (`#ctl00_Innhold_lblResultat`).
        public static let noResult = Code("no result element")
        /// The result element holds no table (e.g. only a message).
        public static let noTable = Code("no result table")
        /// The header row is missing or is not the one expected (empty or repeated labels, not the 31 day columns…).
        public static let unexpectedHeader = Code("unexpected header")
        /// A row has a different number of cells from the header, or repeats another row's label.
        public static let unexpectedRow = Code("unexpected row")
        /// A SUM row or SUM column is missing or repeated.
        public static let missingSum = Code("SUM row or column missing")
        /// A cell is neither empty nor a number in Norwegian format.
        public static let badNumber = Code("not a number")
    }

    public var code: Code
    /// What and where, e.g. `row 'Elektrisk', column '12': '1,2,3'`.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "BRASK page: \(code): \(message)" }
}

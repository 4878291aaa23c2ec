import KildeHTML

/// Reads a BRASK result page: the table inside `#ctl00_Innhold_lblResultat` as a ``BRASKPivot``.
public enum BRASKResultPage {
    /// The id of the element that holds the result table.
    public static let resultID = "ctl00_Innhold_lblResultat"

    /// What the header columns must be.
    public enum Columns: Sendable, Hashable {
        /// Any labels, non-empty and distinct.
        case any
        /// The 31 day columns `1` … `31` in order, as BRASK prints them for column `dag` (whatever the month: the
        /// cells of days a month does not have are empty).
        case days
    }

    /// The label BRASK gives the SUM row and the SUM column (compared case-insensitively, trimmed).
    public static let sumLabel = "sum"

    /// Parses a result page.
    /// - Parameters:
    ///   - bytes: the page as received (UTF-8).
    ///   - columns: what the header must be; ``Columns/days`` for a `dag` query.
    /// - Throws: ``BRASKPageError`` naming what is missing or unexpected: an ASP.NET error page, no result element,
    ///   no table, a header other than expected, a ragged or repeated row, a missing SUM, a cell that is no number.
    public static func parse(_ bytes: some Collection<UInt8>, columns: Columns = .any) throws(BRASKPageError) -> BRASKPivot {
        // The table is read from the parser's events; only a page without one is parsed to a tree, to say why.
        let rows: [[HTMLTableCell]]?
        do {
            rows = try HTMLTableReader.rows(ofTableIn: resultID, parsing: bytes, encoding: "UTF-8")
        } catch {
            throw BRASKPageError(.notHTML, error.description)
        }
        guard let rows else { throw missingTable(bytes) }
        return try pivot(rows, columns: columns)
    }

    /// Why a page has no result table: it is ASP.NET's error page, it has no result element, or that holds none.
    static func missingTable(_ bytes: some Collection<UInt8>) -> BRASKPageError {
        let document: HTMLDocument
        do { document = try BRASKPage.document(bytes) } catch { return error }
        guard let result = document.element(id: resultID) else {
            return BRASKPage.serverError(in: document) ?? BRASKPageError(.noResult, "the page has no element #\(resultID)")
        }
        return BRASKPageError(.noTable, "#\(resultID) holds no table: '\(BRASKPage.excerpt(result.text))'")
    }

    /// The pivot of a table's rows (the first row is the header).
    static func pivot(_ rows: [[HTMLTableCell]], columns expected: Columns) throws(BRASKPageError) -> BRASKPivot {
        guard let header = rows.first else { throw BRASKPageError(.unexpectedHeader, "the result table has no rows") }
        guard header.count >= 2 else {
            throw BRASKPageError(.unexpectedHeader, "the header row has \(header.count) cell(s); expected a corner, the columns and SUM")
        }
        if let spanned = header.first(where: { $0.columnSpan != 1 }) {
            throw BRASKPageError(.unexpectedHeader, "header cell '\(BRASKPage.label(spanned.text))' spans \(spanned.columnSpan) columns")
        }
        let corner = BRASKPage.label(header[0].text)
        let labels = header.dropFirst().map { BRASKPage.label($0.text) }
        let sumColumns = labels.indices.filter { isSum(labels[$0]) }
        guard sumColumns.count == 1, let sumColumn = sumColumns.first else {
            throw BRASKPageError(.missingSum, "the header has \(sumColumns.count) SUM columns, expected 1: \(quoted(labels))")
        }
        let columnIndices = labels.indices.filter { $0 != sumColumn }
        let columnLabels = columnIndices.map { labels[$0] }
        try check(columnLabels, expected)

        var rowLabels: [String] = [], values: [[Double?]] = [], rowSums: [Double?] = []
        var sumRow: [Double?]?, total: Double??
        var seen = Set<String>()
        for row in rows.dropFirst() {
            guard row.count == header.count else {
                let label = row.first.map { BRASKPage.label($0.text) } ?? ""
                throw BRASKPageError(.unexpectedRow, "row '\(label)' has \(row.count) cells; the header has \(header.count)")
            }
            let label = BRASKPage.label(row[0].text)
            var numbers: [Double?] = []
            numbers.reserveCapacity(labels.count)
            for (i, cell) in row.dropFirst().enumerated() {
                switch BRASKNumber.parse(cell.text) {
                case .empty: numbers.append(nil)
                case .number(let v): numbers.append(v)
                case .invalid:
                    throw BRASKPageError(.badNumber, "row '\(label)', column '\(labels[i])': '\(BRASKPage.excerpt(cell.text))'")
                }
            }
            let body = columnIndices.map { numbers[$0] }
            if isSum(label) {
                guard sumRow == nil else { throw BRASKPageError(.missingSum, "the table has more than one SUM row") }
                sumRow = body
                total = .some(numbers[sumColumn])
                continue
            }
            guard !label.isEmpty, seen.insert(label).inserted else {
                throw BRASKPageError(.unexpectedRow, label.isEmpty ? "a row has no label" : "row '\(label)' appears twice")
            }
            rowLabels.append(label)
            values.append(body)
            rowSums.append(numbers[sumColumn])
        }
        guard let sumRow, let total else { throw BRASKPageError(.missingSum, "the table has no SUM row") }
        return BRASKPivot(corner: corner, rowLabels: rowLabels, columnLabels: columnLabels, values: values, rowSums: rowSums,
                          columnSums: sumRow, total: total)
    }

    static func isSum(_ label: String) -> Bool { label.lowercased() == sumLabel }

    private static func check(_ labels: [String], _ expected: Columns) throws(BRASKPageError) {
        if let i = labels.firstIndex(where: \.isEmpty) {
            throw BRASKPageError(.unexpectedHeader, "column \(i + 1) of the header has no label")
        }
        if Set(labels).count != labels.count {
            throw BRASKPageError(.unexpectedHeader, "the header repeats a column label: \(quoted(labels))")
        }
        if expected == .days, labels != (1...31).map(String.init) {
            throw BRASKPageError(.unexpectedHeader, "expected the 31 day columns 1…31, found \(labels.count): \(quoted(labels))")
        }
    }

    private static func quoted(_ labels: [String]) -> String {
        let shown = labels.prefix(40).map { "'\($0)'" }.joined(separator: ", ")
        return labels.count > 40 ? shown + ", …" : shown
    }
}

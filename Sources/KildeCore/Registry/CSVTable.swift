/// A parsed CSV file (RFC 4180: quoted fields, doubled quotes, CRLF or LF), addressed by header name.
public struct CSVTable: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[String]]

    /// A table from rows already split into fields, each as long as `header`.
    public init(name: String, header: [String], rows: [[String]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// Parses `text` as CSV with a header row.
    /// - Throws: ``CatalogError`` when a row has a different number of fields than the header,
    ///   or a quoted field is not closed.
    public init(name: String, text: String) throws(CatalogError) {
        self.name = name
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var afterQuote = false
        var line = 1
        for ch in text {
            if inQuotes {
                if ch == "\"" {
                    inQuotes = false
                    afterQuote = true
                } else {
                    if ch == "\n" || ch == "\r\n" { line += 1 }
                    field.append(ch)
                }
                continue
            }
            switch ch {
            case "\"":
                if afterQuote { field.append("\"") }  // doubled quote inside a quoted field
                inQuotes = true
                afterQuote = false
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\n", "\r\n", "\r":
                record.append(field)
                field = ""
                afterQuote = false
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
                line += 1
            default:
                afterQuote = false
                field.append(ch)
            }
        }
        if inQuotes { throw CatalogError(file: name, line: line, message: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { throw CatalogError(file: name, line: 1, message: "empty file, expected a header row") }
        self.header = header
        self.rows = Array(records.dropFirst())
        for (offset, row) in rows.enumerated() where row.count != header.count {
            throw CatalogError(file: name, line: offset + 2, message: "expected \(header.count) fields, found \(row.count)")
        }
    }

    /// Calls `body` with an accessor for each row, so columns are looked up by header name.
    public func map<T>(_ body: (Row) throws(CatalogError) -> T) throws(CatalogError) -> [T] {
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() { index[h] = i }
        var out: [T] = []
        out.reserveCapacity(rows.count)
        for (offset, fields) in rows.enumerated() {
            out.append(try body(Row(file: name, line: offset + 2, fields: fields, index: index)))
        }
        return out
    }

    /// One CSV row with typed accessors that name the file, line and column on error.
    public struct Row: Sendable {
        public let file: String
        public let line: Int
        let fields: [String]
        let index: [String: Int]

        public func string(_ column: String) throws(CatalogError) -> String {
            guard let i = index[column] else { throw CatalogError(file: file, line: 1, message: "missing column '\(column)'") }
            return fields[i]
        }

        public func optionalString(_ column: String) throws(CatalogError) -> String? {
            let s = try string(column)
            return s.isEmpty ? nil : s
        }

        /// A column a file may leave out (added to the format later): `nil` when the column is absent or the field empty.
        public func optionalColumn(_ column: String) -> String? {
            guard let i = index[column], !fields[i].isEmpty else { return nil }
            return fields[i]
        }

        /// An optional integer column (see ``optionalColumn(_:)``).
        public func optionalInt(_ column: String) throws(CatalogError) -> Int? {
            guard let s = optionalColumn(column) else { return nil }
            guard let v = Int(s) else { throw CatalogError(file: file, line: line, message: "column '\(column)': '\(s)' is not an integer") }
            return v
        }

        /// An optional value of a string enumeration (see ``optionalColumn(_:)``), naming the allowed values on error.
        public func optionalEnum<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) throws(CatalogError) -> T? where T.RawValue == String {
            guard let s = optionalColumn(column) else { return nil }
            guard let v = T(rawValue: s) else {
                throw CatalogError(file: file, line: line, message: "column '\(column)': '\(s)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return v
        }

        /// An optional `key=value;…` options column (see ``AdapterOptions``).
        public func options(_ column: String) throws(CatalogError) -> AdapterOptions {
            guard let s = optionalColumn(column) else { return AdapterOptions() }
            do { return try AdapterOptions(parsing: s) } catch {
                throw CatalogError(file: file, line: line, message: "column '\(column)': \(error.message)")
            }
        }

        public func int(_ column: String) throws(CatalogError) -> Int {
            let s = try string(column)
            guard let v = Int(s) else { throw CatalogError(file: file, line: line, message: "column '\(column)': '\(s)' is not an integer") }
            return v
        }

        public func bool(_ column: String) throws(CatalogError) -> Bool {
            switch try string(column).lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no", "": return false
            case let s: throw CatalogError(file: file, line: line, message: "column '\(column)': '\(s)' is not a boolean")
            }
        }

        /// A `;`-separated list of integers, e.g. `5;100`.
        public func intList(_ column: String) throws(CatalogError) -> [Int] {
            var out: [Int] = []
            for part in try string(column).split(separator: ";") {
                guard let v = Int(part) else { throw CatalogError(file: file, line: line, message: "column '\(column)': '\(part)' is not an integer") }
                out.append(v)
            }
            return out
        }
    }
}

/// A catalogue file that cannot be read, naming the file, line and cause.
public struct CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "catalogue \(file):\(line): \(message)" }
}

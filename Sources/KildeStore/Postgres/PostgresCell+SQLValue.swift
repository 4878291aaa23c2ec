import PostgresNIO

extension PostgresCell {
    /// The cell as a driver-independent value, shaped like what the embedded store returns for the same
    /// column: booleans as 0/1, timestamps as the ISO-8601 text Kilde writes, dates as `YYYY-MM-DD`.
    func sqlValue() throws -> SQLValue {
        guard var buffer = bytes else { return .null }
        guard format == .binary else { return .text(String(buffer: buffer)) }
        switch dataType {
        case .int2Array, .int4Array, .int8Array:
            return .intArray(try decode([Int].self))
        default:
            return try PostgresBinary.value(&buffer, type: dataType, column: columnName)
        }
    }

    /// A reader of a one-dimensional array cell's elements, each read as ``sqlValue()`` reads a cell of the
    /// element's type; a NULL cell has none.
    func arrayReader() throws -> PostgresArrayReader {
        guard format == .binary else { throw PostgresBinary.malformed(dataType, column: columnName) }
        return try PostgresArrayReader(bytes, column: columnName)
    }
}

/// Reading PostgreSQL's binary wire format, for the types the stores' SQL returns.
enum PostgresBinary {
    /// One value of `type` from `buffer`, which holds exactly that value.
    static func value(_ buffer: inout ByteBuffer, type: PostgresDataType, column: String) throws -> SQLValue {
        switch type {
        // Numbers straight from their big-endian bytes: the generic decoder costs more than the read itself, and a
        // facts answer has thousands of them.
        case .int2:
            guard let v = buffer.readInteger(as: Int16.self) else { throw malformed(type, column: column) }
            return .int(Int(v))
        case .int4:
            guard let v = buffer.readInteger(as: Int32.self) else { throw malformed(type, column: column) }
            return .int(Int(v))
        case .int8:
            guard let v = buffer.readInteger(as: Int64.self) else { throw malformed(type, column: column) }
            return .int(Int(v))
        case .float4:
            guard let bits = buffer.readInteger(as: UInt32.self) else { throw malformed(type, column: column) }
            return .double(Double(Float(bitPattern: bits)))
        case .float8:
            guard let bits = buffer.readInteger(as: UInt64.self) else { throw malformed(type, column: column) }
            return .double(Double(bitPattern: bits))
        case .bool:
            guard let b = buffer.readInteger(as: UInt8.self) else { throw malformed(type, column: column) }
            return .int(b == 0 ? 0 : 1)
        case .timestamptz, .timestamp:
            guard let micros = buffer.readInteger(as: Int64.self) else { throw malformed(type, column: column) }
            return .text(PostgresTime.iso8601(microsecondsSince2000: micros))
        case .date:
            guard let days = buffer.readInteger(as: Int32.self) else { throw malformed(type, column: column) }
            return .text(PostgresTime.date(daysSince2000: Int(days)))
        case .jsonb:
            // A version byte (1), then the JSON text.
            buffer.moveReaderIndex(forwardBy: min(1, buffer.readableBytes))
            return .text(String(buffer: buffer))
        case .json, .text, .varchar, .name, .bpchar:
            return .text(String(buffer: buffer))
        case .void:
            return .null
        default:
            throw StoreError(.other, "PostgreSQL returned column \(column) of type \(type), which Kilde does not read")
        }
    }

    static func malformed(_ type: PostgresDataType, column: String) -> StoreError {
        StoreError(.other, "PostgreSQL returned a malformed \(type) in column \(column)")
    }
}

/// Reads a one-dimensional array in PostgreSQL's binary format: a header (dimensions, a has-NULLs flag, the element
/// type, then each dimension's length and lower bound), then each element as its length (-1: NULL) and bytes.
struct PostgresArrayReader {
    /// The number of elements.
    let count: Int
    private let type: PostgresDataType
    private let column: String
    private var buffer: ByteBuffer

    /// - Parameter bytes: the array, or nil for a NULL array (read as empty).
    init(_ bytes: ByteBuffer?, column: String) throws {
        self.column = column
        guard var buffer = bytes else {
            (count, type, self.buffer) = (0, .null, ByteBuffer())
            return
        }
        guard let (dimensions, _, oid) = buffer.readMultipleIntegers(as: (Int32, Int32, UInt32).self) else {
            throw PostgresBinary.malformed(.null, column: column)
        }
        type = PostgresDataType(oid)
        switch dimensions {
        case 0:
            count = 0
        case 1:
            guard let (length, _) = buffer.readMultipleIntegers(as: (Int32, Int32).self), length >= 0 else {
                throw PostgresBinary.malformed(type, column: column)
            }
            count = Int(length)
        default:
            throw StoreError(.other, "PostgreSQL returned a \(dimensions)-dimensional array in column \(column); Kilde reads one dimension")
        }
        self.buffer = buffer
    }

    /// The next element; call it ``count`` times.
    mutating func next() throws -> SQLValue {
        guard let length = buffer.readInteger(as: Int32.self) else { throw PostgresBinary.malformed(type, column: column) }
        guard length >= 0 else { return .null }
        guard var element = buffer.readSlice(length: Int(length)) else { throw PostgresBinary.malformed(type, column: column) }
        return try PostgresBinary.value(&element, type: type, column: column)
    }
}

extension PostgresRow {
    /// Appends the row's cells, in column order, as the shared SQL reads them.
    func appendCells(to cells: inout [SQLValue]) throws {
        for cell in self { cells.append(try cell.sqlValue()) }
    }
}

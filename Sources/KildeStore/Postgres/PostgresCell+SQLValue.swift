import PostgresNIO

extension PostgresCell {
    /// The cell as a driver-independent value, shaped like what the embedded store returns for the same
    /// column: booleans as 0/1, timestamps as the ISO-8601 text Kilde writes, dates as `YYYY-MM-DD`.
    func sqlValue() throws -> SQLValue {
        guard var buffer = bytes else { return .null }
        guard format == .binary else { return .text(String(buffer: buffer)) }
        switch dataType {
        // Numbers straight from their big-endian bytes: the generic decoder costs more than the read itself, and a
        // facts answer has thousands of them.
        case .int2:
            guard let v = buffer.readInteger(as: Int16.self) else { throw malformed() }
            return .int(Int(v))
        case .int4:
            guard let v = buffer.readInteger(as: Int32.self) else { throw malformed() }
            return .int(Int(v))
        case .int8:
            guard let v = buffer.readInteger(as: Int64.self) else { throw malformed() }
            return .int(Int(v))
        case .float4:
            guard let bits = buffer.readInteger(as: UInt32.self) else { throw malformed() }
            return .double(Double(Float(bitPattern: bits)))
        case .float8:
            guard let bits = buffer.readInteger(as: UInt64.self) else { throw malformed() }
            return .double(Double(bitPattern: bits))
        case .bool:
            return .int(try decode(Bool.self) ? 1 : 0)
        case .timestamptz, .timestamp:
            guard let micros = buffer.readInteger(as: Int64.self) else { throw malformed() }
            return .text(PostgresTime.iso8601(microsecondsSince2000: micros))
        case .date:
            guard let days = buffer.readInteger(as: Int32.self) else { throw malformed() }
            return .text(PostgresTime.date(daysSince2000: Int(days)))
        case .jsonb:
            // A version byte (1), then the JSON text.
            buffer.moveReaderIndex(forwardBy: min(1, buffer.readableBytes))
            return .text(String(buffer: buffer))
        case .json, .text, .varchar, .name, .bpchar:
            return .text(String(buffer: buffer))
        case .int2Array, .int4Array, .int8Array:
            return .intArray(try decode([Int].self))
        case .void:
            return .null
        default:
            throw StoreError(.other, "PostgreSQL returned column \(columnName) of type \(dataType), which Kilde does not read")
        }
    }

    private func malformed() -> StoreError {
        StoreError(.other, "PostgreSQL returned a malformed \(dataType) in column \(columnName)")
    }
}

extension PostgresRow {
    /// Appends the row's cells, in column order, as the shared SQL reads them.
    func appendCells(to cells: inout [SQLValue]) throws {
        for cell in self { cells.append(try cell.sqlValue()) }
    }
}

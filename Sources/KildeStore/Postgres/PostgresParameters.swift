import PostgresNIO

/// A text parameter sent without a type (OID 0), so the server infers it from where it is used, exactly as
/// for a quoted literal. The shared SQL binds timestamps, JSON and plain text alike as text; this lets one
/// bind fill a `timestamptz`, `json` or `text` column without a cast in the shared statements.
struct UntypedText: PostgresDynamicTypeEncodable {
    var text: String

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<E: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        buffer.writeString(text)
    }
}

/// A one-dimensional binary array whose elements may be NULL, which postgres-nio's `Array` encoding does not
/// allow. Used to send a column of facts (a NULL axis, a missing metric) as one `unnest` argument.
struct NullableArray: PostgresDynamicTypeEncodable {
    enum Elements: Sendable {
        case int8([Int?])
        case float8([Double?])
    }

    var elements: Elements

    static func ints(_ values: [Int?]) -> NullableArray { NullableArray(elements: .int8(values)) }
    static func doubles(_ values: [Double?]) -> NullableArray { NullableArray(elements: .float8(values)) }

    var psqlType: PostgresDataType {
        switch elements {
        case .int8: .int8Array
        case .float8: .float8Array
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    /// The array wire format: dimensions, has-nulls flag, element OID, (length, lower bound) per dimension,
    /// then each element as a length (-1 for NULL) and its bytes.
    func encode<E: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {
        let (count, hasNull, elementType): (Int, Bool, PostgresDataType) = switch elements {
        case .int8(let v): (v.count, v.contains(nil), .int8)
        case .float8(let v): (v.count, v.contains(nil), .float8)
        }
        buffer.writeInteger(Int32(count == 0 ? 0 : 1))
        buffer.writeInteger(Int32(hasNull ? 1 : 0))
        buffer.writeInteger(elementType.rawValue)
        guard count > 0 else { return }
        buffer.writeInteger(Int32(count))
        buffer.writeInteger(Int32(1))
        switch elements {
        case .int8(let values):
            for v in values {
                if let v {
                    buffer.writeInteger(Int32(8))
                    buffer.writeInteger(Int64(v))
                } else {
                    buffer.writeInteger(Int32(-1))
                }
            }
        case .float8(let values):
            for v in values {
                if let v {
                    buffer.writeInteger(Int32(8))
                    buffer.writeInteger(v.bitPattern)
                } else {
                    buffer.writeInteger(Int32(-1))
                }
            }
        }
    }
}

extension PostgresBindings {
    /// Appends a driver-independent bind value: integers and doubles typed, text untyped (see ``UntypedText``).
    mutating func append(_ value: SQLValue) {
        switch value {
        case .int(let i): append(i)
        case .double(let d): append(d)
        case .text(let s): append(UntypedText(text: s))
        case .intArray(let a): append(a)
        case .null: appendNull()
        }
    }
}

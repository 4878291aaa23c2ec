/// A JSON value as the Pipes messages carry it. Encoded with sorted keys, so a message's text is stable.
public enum PipesJSON: Sendable, Equatable, Encodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([PipesJSON])
    case object([String: PipesJSON])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        // JSON has no NaN or infinity; Dagster would reject the whole message.
        case .double(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// A metadata value with its Dagster type, as dagster-pipes' `PipesMetadataValue` (`{"raw_value": …, "type": …}`):
/// typed explicitly, so Dagster does not have to infer an integer from a float or a period from a number.
public enum PipesMetadataValue: Sendable, Equatable {
    case int(Int64)
    case float(Double)
    case text(String)
    case bool(Bool)

    var json: PipesJSON {
        switch self {
        case .int(let i): .object(["raw_value": .int(i), "type": .string("int")])
        case .float(let d): .object(["raw_value": .double(d), "type": .string("float")])
        case .text(let s): .object(["raw_value": .string(s), "type": .string("text")])
        case .bool(let b): .object(["raw_value": .bool(b), "type": .string("bool")])
        }
    }
}

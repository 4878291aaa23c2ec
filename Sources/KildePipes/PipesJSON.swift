/// A JSON value as the Pipes messages carry it. Encoded with sorted keys, so a message's text is stable.
public enum PipesJSON: Sendable, Equatable, Encodable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([PipesJSON])
    case object([String: PipesJSON])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// A metadata value with its Dagster type, as dagster-pipes' `PipesMetadataValue` (`{"raw_value": …, "type": …}`):
/// typed explicitly, so Dagster does not infer a type (a period such as `2024` stays text). The types Kilde reports.
public enum PipesMetadataValue: Sendable, Equatable {
    case int(Int64)
    case text(String)

    var json: PipesJSON {
        switch self {
        case .int(let i): .object(["raw_value": .int(i), "type": .string("int")])
        case .text(let s): .object(["raw_value": .string(s), "type": .string("text")])
        }
    }
}

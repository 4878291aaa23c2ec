import Foundation
@testable import KildeServer
import Testing

/// The API reference's JSON reader and its examples: member order and number text kept, JSON refused where it is
/// not JSON, and examples made from schemas (a schema that contains itself ends).
@Suite("API reference JSON")
struct OrderedJSONTests {
    static func parse(_ text: String) throws -> OrderedJSON { try OrderedJSON(parsing: Array(text.utf8)) }

    @Test func keepsMemberOrderAndNumberText() throws {
        let json = try Self.parse(#" { "z": 9223372036854775807, "a": [1.50, -2e-3, true, null], "m": {"é\u00e9\ud83d\ude00": "\"\\\/\n"} } "#)
        #expect(json.members.map(\.key) == ["z", "a", "m"])
        #expect(json["z"] == .number("9223372036854775807"))
        #expect(json["a"]?.items == [.number("1.50"), .number("-2e-3"), .bool(true), .null])
        #expect(json["m"]?.members.first?.key == "éé😀")
        #expect(json["m"]?["éé😀"]?.string == "\"\\/\n")
    }

    @Test("the printed forms are JSON that reads back as the same value")
    func printsJSON() throws {
        let text = #"{"b":[{"x":"tab\there\u0001"},[],{}],"a":-0.5,"c":"æ"}"#
        let json = try Self.parse(text)
        #expect(json.compact == text)
        #expect(try Self.parse(json.pretty()) == json)
        #expect(try Self.parse(json.compact) == json)
        #expect(json.pretty().contains("\n  \"b\": [\n    {\n      \"x\": "))
    }

    @Test("what is not JSON is refused", arguments: ["", "{", "[1,]", "{\"a\" 1}", "01x", "1.", "-", "\"\u{1}\"", "\"\\x\"", "tru", "{} {}",
                                                     String(repeating: "[", count: 100) + String(repeating: "]", count: 100)])
    func refuses(_ text: String) {
        #expect(throws: OrderedJSON.ParseError.self) { try Self.parse(text) }
    }

    @Test("examples come from the document first, else from the schema's shape")
    func examples() throws {
        let doc = try Self.parse("""
            {"components": {"schemas": {
              "Run": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 1}, "state": {"type": "string", "enum": ["queued", "done"]},
                      "tags": {"type": "array", "items": {"type": "string"}}, "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                      "share": {"type": ["number", "null"]}, "ok": {"type": "boolean"}, "given": {"type": "string", "examples": ["ssb-08764"]},
                      "next": {"$ref": "#/components/schemas/Run"}}},
              "A~/B": {"type": "string", "default": "x"}}}}
            """)
        let examples = SchemaExamples(document: doc)
        let run = examples.example(.object([.init(key: "$ref", value: .string("#/components/schemas/Run"))]))
        #expect(run["id"] == .number("1"))
        #expect(run["state"] == .string("queued"))
        #expect(run["tags"] == .array([.string("string")]))
        #expect(run["counts"] == .object([.init(key: "key", value: .number("0"))]))
        #expect(run["share"] == .number("0.5") && run["ok"] == .bool(true) && run["given"] == .string("ssb-08764"))
        // A schema that contains itself is followed a bounded number of times, then ends in null.
        var depth = 0, node = run
        while let next = node["next"], next != .null { depth += 1; node = next }
        #expect(depth > 2 && depth < SchemaExamples.maximumDepth)
        #expect(examples.target("#/components/schemas/A~0~1B")?["default"] == .string("x"), "JSON pointer escapes")
    }
}

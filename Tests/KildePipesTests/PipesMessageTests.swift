import Foundation
import Testing

@testable import KildePipes

/// The messages' JSON, field for field as dagster-pipes 1.13 writes them (keys sorted here).
@Suite struct PipesMessageTests {
    @Test(arguments: [
        (PipesMessage.opened, #"{"__dagster_pipes_version":"0.1","method":"opened","params":{"extras":{}}}"#),
        (.log("slice 1/1: +3 added", level: .warning),
         #"{"__dagster_pipes_version":"0.1","method":"log","params":{"level":"WARNING","message":"slice 1/1: +3 added"}}"#),
        (.materialization(assetKey: "ssb_08764", metadata: ["rows_added": .int(42), "latest_period": .text("2024")]),
         #"{"__dagster_pipes_version":"0.1","method":"report_asset_materialization","params":{"asset_key":"ssb_08764","data_version":null,"#
            + #""metadata":{"latest_period":{"raw_value":"2024","type":"text"},"rows_added":{"raw_value":42,"type":"int"}}}}"#),
        (.assetCheck(assetKey: "kommune_indicators", checkName: "not_null", passed: false, severity: "ERROR", metadata: ["failures": .int(2)]),
         #"{"__dagster_pipes_version":"0.1","method":"report_asset_check","params":{"asset_key":"kommune_indicators","check_name":"not_null","#
            + #""metadata":{"failures":{"raw_value":2,"type":"int"}},"passed":false,"severity":"ERROR"}}"#),
        (.closed(), #"{"__dagster_pipes_version":"0.1","method":"closed","params":{}}"#),
        (.closed(exception: PipesException(message: "unknown dataset 'x'", name: "usage")),
         #"{"__dagster_pipes_version":"0.1","method":"closed","params":{"exception":{"cause":null,"context":null,"#
            + #""message":"unknown dataset 'x'","name":"usage","stack":[]}}}"#),
    ])
    func jsonLine(message: PipesMessage, expected: String) {
        #expect(message.jsonLine == expected)
    }

    @Test func fileChannelAppendsLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-pipes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let channel = PipesChannel.file(path: path)
        try channel.write(.opened)
        try channel.write(.closed())
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == [PipesMessage.opened.jsonLine, PipesMessage.closed().jsonLine])
    }
}

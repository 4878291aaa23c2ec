import CompressNIO
import Foundation
import NIOCore
import Testing

@testable import KildePipes

/// Parameters as dagster-pipes 1.13's `encode_param` writes them (zlib level 6, standard base64); the strings were
/// produced by it in Python, so decoding them checks the zlib and base64 steps against the real encoder.
@Suite struct PipesParamsTests {
    @Test(arguments: [
        ("eJyrVipILMlQslJQ0i/JLdBPLqnQyyrOz1OqBQBpjQhu", PipesChannel.file(path: "/tmp/ctx.json")),
        ("eJyrVipILMlQslJQ0i/JLdDPTS0uTkxPLVbSUVDKzEvOKU1JjS8uScnMj8/Mi4dLWimkJeYUp9YCAIvLFdc=", .file(path: "/tmp/messages")),
        ("eJyrViouScnMV7JSADFSi4qUagFBNAaS", .stderr),
        ("eJyrVkoqTUtLLUpNiS8uScnMV7JSUAIy8ktLlGoBlycKQw==", .stdout),
    ])
    func messageChannels(encoded: String, expected: PipesChannel) throws {
        #expect(try PipesChannel.from(encoded: encoded) == expected)
    }

    @Test func inlineContext() throws {
        // {"data": {"asset_keys": ["ssb_08764", "kommune_indicators"], "run_id": "abc-123", "partition_key": null, "extras": {"x": 1}, …}}
        let encoded = "eJwdjVELwjAMhP/KyLPCpqLiXxEp6ZaHbmsqTQobo//d1JeDfHe5O2BCRXh1B6AIqVtoFzvfIOJd/3zcb3DqYEkxFiYXeAojasoCH8O5sAuTxQH9eB4u15b9YtagIXHrMo/LuhqmTTPKf2kzHaqxOXnHGKk1zO03k+bdcYmessG+1h9csjNT"
        #expect(try PipesContext.load(encoded: encoded) == PipesContext(assetKeys: ["ssb_08764", "kommune_indicators"], runID: "abc-123"))
    }

    @Test func contextFromFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-pipes-\(UUID().uuidString).json")
        try Data(#"{"asset_keys": null, "run_id": "r1", "partition_key": "2024", "extras": {}}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let encoded = try encode(#"{"path": "\#(url.path)"}"#)
        #expect(try PipesContext.load(encoded: encoded) == PipesContext(assetKeys: nil, runID: "r1", partitionKey: "2024"))
    }

    @Test(arguments: [
        ("not base64 at all!", PipesError.Code.malformedParams),
        ("aGVsbG8=", .malformedParams),  // base64 of "hello": not a zlib stream
        ("eJyrVirNy87LL89TslIwrAUAJuIE2A==", .unwritableMessages),  // {"unknown": 1}
    ])
    func badMessageParams(encoded: String, code: PipesError.Code) {
        #expect { try PipesChannel.from(encoded: encoded) } throws: { ($0 as? PipesError)?.code == code }
    }

    @Test func missingEnvironment() {
        #expect { try PipesSession.open(environment: [:]) } throws: { ($0 as? PipesError)?.code == .missingEnvironment }
    }

    @Test(arguments: [
        (["ssb_08764"], "ssb-08764", "ssb_08764"),
        (["kommune_indicators", "ssb_08764"], "ssb-08764", "ssb_08764"),
        (["kilde/ssb_08764", "kommune_indicators"], "ssb-08764", "kilde/ssb_08764"),
        (["kommune_indicators", "population"], "ssb-08764", "population"),
        ([], "ssb-08764", "ssb-08764"),
    ])
    func datasetAssetKey(keys: [String], dataset: String, expected: String) {
        let context = PipesContext(assetKeys: keys, runID: "r")
        #expect(context.assetKey(forDataset: dataset, others: ["kommune_indicators"]) == expected)
    }

    /// zlib-compresses `json` with the same library the decoder uses, for parameters that name temporary paths.
    private func encode(_ json: String) throws -> String {
        var buffer = ByteBuffer(string: json)
        return Data(try buffer.compress(with: .zlib()).readableBytesView).base64EncodedString()
    }
}

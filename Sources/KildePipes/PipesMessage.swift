import Foundation

/// One message to Dagster: `{"__dagster_pipes_version": "0.1", "method": …, "params": …}`, written as a line.
public struct PipesMessage: Sendable, Equatable {
    /// The protocol version dagster-pipes 1.13 writes and Dagster reads.
    public static let protocolVersion = "0.1"

    public var method: String
    public var params: PipesJSON

    public init(method: String, params: PipesJSON) {
        self.method = method
        self.params = params
    }

    /// The message as one line of JSON, keys sorted, without the newline.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let object = PipesJSON.object(["__dagster_pipes_version": .string(Self.protocolVersion), "method": .string(method), "params": params])
        // Encoding a PipesJSON cannot fail: every case is a plain JSON value.
        guard let data = try? encoder.encode(object) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first message: the process has opened the channel.
    public static let opened = PipesMessage(method: "opened", params: .object(["extras": .object([:])]))

    /// A log line in Dagster's event log. `level` is a Python logging level name.
    public static func log(_ message: String, level: LogLevel = .info) -> PipesMessage {
        PipesMessage(method: "log", params: .object(["message": .string(message), "level": .string(level.rawValue)]))
    }

    public enum LogLevel: String, Sendable { case info = "INFO", warning = "WARNING", error = "ERROR" }

    /// An asset's materialisation with its metadata.
    public static func materialization(assetKey: String, metadata: [String: PipesMetadataValue], dataVersion: String? = nil) -> PipesMessage {
        PipesMessage(method: "report_asset_materialization", params: .object([
            "asset_key": .string(assetKey),
            "data_version": dataVersion.map(PipesJSON.string) ?? .null,
            "metadata": .object(metadata.mapValues(\.json)),
        ]))
    }

    /// The result of an asset check declared on `assetKey` in Dagster. `severity` is `ERROR` or `WARN`.
    public static func assetCheck(assetKey: String, checkName: String, passed: Bool, severity: String,
                                  metadata: [String: PipesMetadataValue]) -> PipesMessage {
        PipesMessage(method: "report_asset_check", params: .object([
            "asset_key": .string(assetKey), "check_name": .string(checkName), "passed": .bool(passed),
            "severity": .string(severity), "metadata": .object(metadata.mapValues(\.json)),
        ]))
    }

    /// The last message: `{}` on success, or the failure as dagster-pipes' `PipesException`, which Dagster raises
    /// in the step with `message`.
    public static func closed(exception: PipesException? = nil) -> PipesMessage {
        PipesMessage(method: "closed", params: .object(exception.map { ["exception": $0.json] } ?? [:]))
    }
}

/// A failure of the external process, in dagster-pipes' `PipesException` shape (message, stack, name, cause,
/// context). Kilde's errors are values, not Python exceptions: no stack, no chain.
public struct PipesException: Sendable, Equatable {
    public var message: String
    /// The error's kind, e.g. `usage` or `upstream` (Python puts the exception class name here).
    public var name: String?

    public init(message: String, name: String? = nil) {
        self.message = message
        self.name = name
    }

    var json: PipesJSON {
        .object(["message": .string(message), "stack": .array([]), "name": name.map(PipesJSON.string) ?? .null,
                 "cause": .null, "context": .null])
    }
}

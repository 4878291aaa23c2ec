import Foundation

/// Where messages go, from `DAGSTER_PIPES_MESSAGES` (dagster-pipes' `PipesDefaultMessageWriter`): appended to a
/// file Dagster tails, or written to stdout or stderr, which Dagster reads from the process.
public enum PipesChannel: Sendable, Equatable {
    case file(path: String)
    case stdout
    case stderr

    /// The destination's parameters: `path`, or `stdio`/`buffered_stdio` naming the stream (dagster-pipes treats
    /// the buffered form the same but flushes at close; Kilde writes every line at once).
    struct Params: Decodable {
        var path: String?
        var stdio: String?
        var bufferedStdio: String?

        enum CodingKeys: String, CodingKey { case path, stdio, bufferedStdio = "buffered_stdio" }
    }

    /// The channel named by the encoded `DAGSTER_PIPES_MESSAGES` value.
    /// - Throws: ``PipesError`` when it cannot be decoded or names no destination Kilde can write.
    public static func from(encoded text: String) throws -> PipesChannel {
        let p = try PipesParams.decode(Params.self, from: text, name: PipesParams.messagesVariable)
        if let path = p.path { return .file(path: path) }
        switch p.stdio ?? p.bufferedStdio {
        case "stdout": return .stdout
        case "stderr": return .stderr
        default: throw PipesError.unwritableMessages("\(PipesParams.messagesVariable) names no \"path\" and no \"stdio\" of stdout or stderr")
        }
    }

    /// Writes `message` as one line. A file is opened for each message and appended to, as dagster-pipes does, so
    /// Dagster's reader sees whole lines whenever it reads.
    /// - Throws: ``PipesError`` when the file cannot be opened or written.
    public func write(_ message: PipesMessage) throws {
        let line = Data((message.jsonLine + "\n").utf8)
        switch self {
        case .stdout: try? FileHandle.standardOutput.write(contentsOf: line)
        case .stderr: try? FileHandle.standardError.write(contentsOf: line)
        case .file(let path):
            // A failure to create shows as the open below failing.
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            do {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: line)
            } catch {
                throw PipesError.unwritableMessages("cannot append to \(path): \(error.localizedDescription)")
            }
        }
    }
}

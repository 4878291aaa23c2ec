import Crypto
import Foundation
import KildeStore
import KildeUpstream

/// The bronze layer: raw upstream bytes on the filesystem, content-addressed by sha256,
/// written before anything parses them.
public struct Bronze: Sendable {
    /// The directory holding `ab/abcdef…` files.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The bronze directory that belongs to an embedded store file: `kilde.sqlite` → `kilde.bronze/`.
    public static func beside(storePath: String) -> Bronze {
        let url = URL(fileURLWithPath: storePath)
        return Bronze(root: url.deletingPathExtension().appendingPathExtension("bronze"))
    }

    /// Stores the response body (once per distinct content) and returns its provenance.
    /// - Throws: a filesystem error; the caller fails the slice, nothing is parsed.
    public func land(_ response: UpstreamResponse, fetchedAt: String) throws -> RawArtifact {
        let sha = SHA256.hash(data: response.body).map { String(format: "%02x", $0) }.joined()
        let key = "\(sha.prefix(2))/\(sha)"
        let file = root.appendingPathComponent(key)
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Atomic: written under a temporary name and renamed, so a crash never leaves a partial file at the final
            // address; the rename replaces a file another process landed meanwhile, which has the same content.
            try Data(response.body).write(to: file, options: .atomic)
        }
        var url = response.request.url
        if let body = response.request.body, !body.isEmpty { url += " " + String(decoding: body.prefix(2000), as: UTF8.self) }
        return RawArtifact(sha256: sha, key: key, url: url, method: response.request.method, contentType: response.contentType,
                           bytes: response.body.count, fetchedAt: fetchedAt)
    }

    /// The bytes stored under `key`.
    public func read(key: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(key)))
    }
}

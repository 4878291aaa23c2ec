import Foundation

/// Recorded real SSB responses shipped with the simulator (see `Recordings/README.md`).
struct Recordings: Sendable {
    let directory: URL?

    init() {
        directory = Bundle.module.url(forResource: "Recordings", withExtension: nil)
    }

    /// The text of a recording, or `nil` when there is none by that name.
    func file(_ name: String) -> String? {
        guard let url = directory?.appendingPathComponent(name) else { return nil }
        return (try? Data(contentsOf: url)).flatMap { String(data: $0, encoding: .utf8) }
    }
}

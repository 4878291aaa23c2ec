#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Identifies the process running an ingest (`host:pid`), so a later run can tell a live run from one
/// whose process was killed. A killed run must not block its slice forever.
public enum RunOwner {
    /// This process, e.g. `myhost:4242`.
    public static var current: String { "\(hostName):\(getpid())" }

    static var hostName: String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return "localhost" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `owner` names a process on this host that no longer exists. A worker's claim token
    /// (`job12.1@host:pid`) names its process after the `@`.
    public static func isAbandoned(_ owner: String?) -> Bool {
        guard let full = owner else { return false }
        let owner = full.lastIndex(of: "@").map { full[full.index(after: $0)...] } ?? full[...]
        guard let colon = owner.lastIndex(of: ":") else { return false }
        guard String(owner[..<colon]) == hostName, let pid = Int32(owner[owner.index(after: colon)...]) else { return false }
        if pid == getpid() { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

import Foundation

/// The cookies of one conversation with an upstream (an ASP.NET form's session cookie, say): set by responses,
/// sent back with the later requests to the same host. A conversation gets a fresh jar, so no state leaks from
/// one slice to the next.
public final class CookieJar: Sendable {
    private let cookies: Locked<[String: [String: String]]>

    public init() {
        cookies = Locked([:])
    }

    /// Stores the cookies of `Set-Cookie` header values from `host`; an empty value or `Max-Age=0` removes one.
    public func store(_ setCookies: [String], host: String) {
        cookies.withLock { all in
            var jar = all[host.lowercased()] ?? [:]
            for header in setCookies {
                let attributes = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let pair = attributes.first, let eq = pair.firstIndex(of: "=") else { continue }
                let name = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
                guard !name.isEmpty else { continue }
                let expired = attributes.dropFirst().contains { $0.lowercased() == "max-age=0" }
                jar[name] = value.isEmpty || expired ? nil : value
            }
            all[host.lowercased()] = jar
        }
    }

    /// The `Cookie` header for a request to `host`, or `nil` when the jar holds none for it.
    public func header(host: String) -> String? {
        cookies.withLock { all in
            guard let jar = all[host.lowercased()], !jar.isEmpty else { return nil }
            return jar.keys.sorted().map { "\($0)=\(jar[$0] ?? "")" }.joined(separator: "; ")
        }
    }
}

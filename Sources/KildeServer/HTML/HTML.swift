import Foundation
import KildeHTML

/// Escaping for server-rendered HTML: every value from the store or the request goes through here.
enum HTML {
    static func escape(_ s: String) -> String { HTMLEscape.text(s) }

    /// A number as Norwegians read it: space as thousands separator, comma as decimal mark.
    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        let rounded = (v * 10).rounded() / 10
        let integer = Int64(rounded.rounded(.towardZero))
        var digits = String(abs(integer))
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3)[...], at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        var s = (rounded < 0 ? "-" : "") + groups.joined(separator: "\u{A0}")
        let fraction = Int((abs(rounded) * 10).rounded()) % 10
        if fraction != 0 { s += ",\(fraction)" }
        return s
    }

    /// A query string from pairs, percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+,")
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }
}

/// Escaping for HTML that Kilde writes (the explorer's pages, the simulator's upstream pages): text between tags
/// and in quoted attribute values.
public enum HTMLEscape {
    /// `s` with `&`, `<`, `>`, `"` and `'` written as character references.
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

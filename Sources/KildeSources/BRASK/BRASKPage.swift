import KildeHTML

/// What the BRASK form page and result page readers share.
enum BRASKPage {
    static func document(_ bytes: some Collection<UInt8>) throws(BRASKPageError) -> HTMLDocument {
        do {
            return try HTMLDocument(parsing: bytes, encoding: "UTF-8")
        } catch {
            throw BRASKPageError(.notHTML, error.description)
        }
    }

    /// ASP.NET's error page ("Server Error in '/' Application." with the message in an `h2` and a `title`), as
    /// an error naming its message; `nil` for any other page.
    static func serverError(in document: HTMLDocument) -> BRASKPageError? {
        let title = document.elements(named: "title").first.map { label($0.text) } ?? ""
        let headings = document.elements(named: "h1").map { label($0.text) } + document.elements(named: "h2").map { label($0.text) }
        guard headings.contains(where: { $0.hasPrefix("Server Error in") }) || title == "Runtime Error" else { return nil }
        let message = headings.first { !$0.hasPrefix("Server Error in") } ?? title
        return BRASKPageError(.serverError, excerpt(message.isEmpty ? "Server Error" : message))
    }

    /// A cell's or label's text as a label: whitespace (NBSP included) trimmed and runs of it made one space.
    static func label(_ text: String) -> String {
        var out = ""
        var space = false
        for s in text.unicodeScalars {
            if BRASKNumber.isSpace(s) {
                space = !out.isEmpty
            } else {
                if space { out.unicodeScalars.append(" ") }
                out.unicodeScalars.append(s)
                space = false
            }
        }
        return out
    }

    /// At most 120 characters of some text, for an error message.
    static func excerpt(_ text: String) -> String {
        let l = label(text)
        return l.count > 120 ? String(l.prefix(120)) + "…" : l
    }
}

extension BRASKPage {
    /// The message of an ASP.NET error page, or `nil` when the bytes are not one.
    static func errorMessage(_ bytes: some Collection<UInt8>) -> String? {
        guard let document = try? document(bytes) else { return nil }
        return serverError(in: document)?.message
    }

    /// Whether an error page's message is ASP.NET refusing the form's state (a stale or foreign `__VIEWSTATE`, or
    /// event validation): a fresh form can cure it, unlike any other server error.
    static func isStateRefusal(_ message: String?) -> Bool {
        guard let m = message?.lowercased() else { return false }
        return m.contains("validation of viewstate mac failed") || m.contains("invalid postback or callback argument")
    }
}

import Foundation

/// One operation of the API reference: summary, parameters, request body, answers, an example request (a curl line
/// against this server) and answer, and a try-it form that calls the live API (``APIReferencePage/script``).
struct APIOperationHTML {
    let op: APIReference.Operation
    let reference: APIReference
    /// Where the API is, e.g. `http://127.0.0.1:8080`: the document's server URL on this server's origin.
    let base: String

    var anchor: String { "op-" + APISchemaHTML.slug(op.id) }

    func render() -> String {
        let method = HTML.escape(op.method), path = HTML.escape(op.path)
        var out = """
            <section class="op" id="\(anchor)" data-method="\(method)" data-path="\(path)">
            <h2><span class="method \(method.lowercased())">\(method)</span> <code>\(path)</code></h2>
            <p>\(APISchemaHTML.prose(op.summary))</p>\(op.description.isEmpty ? "" : "<p>\(APISchemaHTML.prose(op.description))</p>")
            """
        if !op.parameters.isEmpty {
            let rows = op.parameters.map { p in
                "<tr data-param=\"\(HTML.escape(p.name))\"><td>\(APISchemaHTML.code(p.name))</td><td>\(HTML.escape(p.location))</td>"
                    + "<td>\(APISchemaHTML.label(p.schema))\(p.commaSeparated ? "<br><small>flere verdier kommaseparert</small>" : "")</td>"
                    + "<td>\(p.required ? "ja" : "nei")</td><td>\(APISchemaHTML.prose(p.description))</td></tr>"
            }.joined()
            out += "<h3>Parametere</h3><div class=\"scroll\"><table class=\"params\"><thead><tr><th>Navn</th><th>I</th><th>Type</th><th>Påkrevd</th>"
                + "<th>Beskrivelse</th></tr></thead><tbody>\(rows)</tbody></table></div>"
        }
        if let body = op.requestBody {
            out += "<h3>Innhold i forespørselen</h3><p><code>\(HTML.escape(body.mediaType))</code>: \(body.schema.map(APISchemaHTML.label) ?? "")</p>"
        }
        let responses = op.responses.map { r in
            let contents = r.contents.map { "<code>\(HTML.escape($0.mediaType))</code>\($0.schema.map { ": " + APISchemaHTML.label($0) } ?? "")" }
            return "<tr data-status=\"\(HTML.escape(r.status))\"><td>\(HTML.escape(r.status))</td><td>\(APISchemaHTML.prose(r.description))</td>"
                + "<td>\(contents.joined(separator: "<br>"))</td></tr>"
        }.joined()
        out += "<h3>Svar</h3><div class=\"scroll\"><table class=\"responses\"><thead><tr><th>Status</th><th>Betydning</th><th>Innhold</th></tr></thead>"
            + "<tbody>\(responses)</tbody></table></div>"
        out += "<h3>Eksempel på forespørsel</h3><pre class=\"example-request\"><code>\(HTML.escape(curl()))</code></pre>"
        if let (status, body) = reference.exampleAnswer(op) {
            out += "<h3>Eksempel på svar</h3><p><code>\(HTML.escape(status))</code> · <code>\(HTML.escape(body.mediaType))</code></p>"
                + "<pre class=\"example-answer\"><code>\(HTML.escape(Self.text(body)))</code></pre>"
        }
        return out + tryIt() + "</section>"
    }

    /// An example body as it is sent: JSON pretty-printed, text as it is.
    static func text(_ body: APIReference.Body) -> String {
        guard let example = body.example else { return "" }
        if !body.mediaType.contains("json"), case .string(let s) = example { return s }
        return example.pretty()
    }

    /// A parameter's example as it goes in a URL or a field: list items comma-separated.
    static func value(_ example: OrderedJSON) -> String {
        if case .array(let items) = example { return items.map(\.text).joined(separator: ",") }
        return example.text
    }

    /// The example request as a curl command line, every part shell-quoted; a required value without an example
    /// (the ingest key) is a `<name>` placeholder.
    func curl() -> String {
        var path = op.path, query: [String] = [], options: [String] = []
        for p in op.parameters {
            guard let v = p.example.map(Self.value) ?? (p.required ? "<\(p.name)>" : nil) else { continue }
            switch p.location {
            case "path": path = path.replacingOccurrences(of: "{\(p.name)}", with: Self.percentEncoded(v))
            case "header": options += ["-H", Self.shellQuoted("\(p.name): \(v)")]
            default: query.append("\(Self.percentEncoded(p.name))=\(Self.percentEncoded(v))")
            }
        }
        if let body = op.requestBody, let example = body.example {
            options += ["-H", Self.shellQuoted("content-type: \(body.mediaType)"), "-d", Self.shellQuoted(example.compact)]
        }
        let url = base + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        return (["curl"] + (op.method == "GET" ? [] : ["-X", op.method]) + [Self.shellQuoted(url)] + options).joined(separator: " ")
    }

    /// Percent-encoding for a query part; commas stay, as the API reads them as list separators.
    static func percentEncoded(_ s: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?/")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// A POSIX shell word: single quotes, an inner `'` as `'\''`.
    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }

    /// The try-it form: a field per parameter (a list for an enum), prefilled with the example request's values,
    /// and the request body. The script sends it with `fetch` and shows the answer below; without JavaScript the
    /// button stays disabled.
    func tryIt() -> String {
        var fields = op.parameters.map { p in
            let name = HTML.escape(p.name), location = HTML.escape(p.location)
            let value = p.example.map(Self.value) ?? ""
            let caption = "\(name) <small>(\(location)\(p.required ? ", påkrevd" : ""))</small>"
            if let options = p.schema["enum"]?.items.map(\.text) {
                let choices = ([""] + options).map { o in
                    "<option value=\"\(HTML.escape(o))\"\(o == value ? " selected" : "")>\(o.isEmpty ? "—" : HTML.escape(o))</option>"
                }.joined()
                return "<label>\(caption)<select name=\"\(name)\" data-in=\"\(location)\">\(choices)</select></label>"
            }
            return "<label>\(caption)<input name=\"\(name)\" data-in=\"\(location)\" value=\"\(HTML.escape(value))\" autocomplete=\"off\"></label>"
        }
        if let body = op.requestBody {
            fields.append("<label>Innhold (\(HTML.escape(body.mediaType)))<textarea name=\"body\" data-in=\"body\" rows=\"6\" cols=\"50\">"
                          + "\(HTML.escape(Self.text(body)))</textarea></label>")
        }
        let bodyType = op.requestBody.map { " data-body-type=\"\(HTML.escape($0.mediaType))\"" } ?? ""
        return """
            <h3>Prøv</h3><form class="controls tryit" data-method="\(HTML.escape(op.method))" data-path="\(HTML.escape(op.path))"\(bodyType) data-answer="\(anchor)-answer">
            \(fields.joined())<button type="submit" disabled>Send</button><noscript>Skjemaet sender med JavaScript.</noscript></form>
            <div class="answer" id="\(anchor)-answer" hidden><p class="status"></p><pre><code></code></pre></div>
            """
    }
}

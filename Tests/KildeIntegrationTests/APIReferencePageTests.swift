import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KildeServer
import KildeTestSupport
import Testing

/// `/api`, the API reference generated from `/v1/openapi.json`. The document is read here with Foundation, not with
/// the page's own parser, and walked whole: an operation, parameter or schema added to the document without showing
/// on the page fails these tests. The browser tests (Tests/Browser) send its try-it forms.
@Suite("API reference page")
struct APIReferencePageTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The `<section>` of one operation, found by its method and path (its first mention: the section's tag).
    static func section(_ page: String, method: String, path: String) -> String? {
        guard let start = page.range(of: "data-method=\"\(method)\" data-path=\"\(path)\">"),
              let end = page.range(of: "</section>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.lowerBound])
    }

    /// The text of the first `<pre class="…"><code>` of that class in `html`, entities decoded.
    static func preText(_ html: String, class name: String) -> String? {
        guard let open = html.range(of: "<pre class=\"\(name)\"><code>"), let close = html.range(of: "</code></pre>", range: open.upperBound..<html.endIndex) else { return nil }
        return unescape(String(html[open.upperBound..<close.lowerBound]))
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) }

    /// JSON text with sorted keys, to compare two parsed values.
    static func canonical(_ value: Any) throws -> Data { try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) }

    /// Where a `$ref` points in the document.
    static func resolve(_ schema: [String: Any]?, in doc: [String: Any]) -> [String: Any]? {
        guard let ref = schema?["$ref"] as? String else { return schema }
        return ref.split(separator: "/").dropFirst().reduce(doc as Any?) { ($0 as? [String: Any])?[String($1)] } as? [String: Any]
    }

    @Test("/api shows every operation of the OpenAPI document with every parameter, its answers, examples and a try-it form")
    func everyOperation() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env) { client in
                let response = try await client.execute(uri: "/api", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.accessControlAllowOrigin] == "*", "CORS on every response, the page too")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let page = String(buffer: response.body)
                #expect(page.contains("<a href=\"/api\" aria-current=\"page\">API</a>"), "the nav names the page")
                let doc = try ServerHarness.json(try await client.execute(uri: "/v1/openapi.json", method: .get))
                let paths = try #require(doc["paths"] as? [String: [String: Any]])
                var operations = 0
                for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
                    for (method, value) in item where Self.methods.contains(method) {
                        operations += 1
                        let op = try #require(value as? [String: Any])
                        let section = try #require(Self.section(page, method: method.uppercased(), path: path), "\(method) \(path) is not on the page")
                        if let summary = op["summary"] as? String { #expect(Self.unescape(section).contains(summary), "\(path)") }
                        for parameter in (op["parameters"] as? [[String: Any]] ?? []) + (item["parameters"] as? [[String: Any]] ?? []) {
                            let name = try #require(parameter["name"] as? String), location = try #require(parameter["in"] as? String)
                            #expect(section.contains("<tr data-param=\"\(name)\"><td><code>\(name)</code></td><td>\(location)</td>"), "\(method) \(path): \(name)")
                            #expect(section.contains("name=\"\(name)\" data-in=\"\(location)\""), "\(method) \(path): no try-it field for \(name)")
                        }
                        for status in (op["responses"] as? [String: Any] ?? [:]).keys {
                            #expect(section.contains("<tr data-status=\"\(status)\">"), "\(method) \(path): answer \(status)")
                        }
                        #expect(section.contains("<form class=\"controls tryit\" data-method=\"\(method.uppercased())\" data-path=\"\(path)\""))
                        let curl = try #require(Self.preText(section, class: "example-request"), "\(method) \(path): no example request")
                        #expect(curl.hasPrefix(method == "get" ? "curl 'http://localhost/" : "curl -X \(method.uppercased()) 'http://localhost/"), "\(curl)")
                        let uri = try #require(Self.exampleURI(curl), "\(curl)")
                        #expect(!uri.contains("{"), "\(method) \(path): a path parameter is left in \(curl)")
                        try await Self.checkExampleAnswer(section, op: op, doc: doc, label: "\(method) \(path)")
                        if method == "get" {
                            // The example request, sent: the server takes it (no parameter refused). A 404 is fine on
                            // an empty store (no run 1, no mart yet).
                            let answer = try await client.execute(uri: uri, method: .get)
                            #expect(answer.status == .ok || answer.status == .notFound, "\(uri) answers \(answer.status): \(String(buffer: answer.body))")
                        }
                    }
                }
                #expect(operations > 10 && ExplorerPageTests.count("<section class=\"op\"", in: page) == operations, "one section per operation, no other")
                // Every schema, with a row per property.
                let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
                for (name, schema) in schemas {
                    #expect(page.contains("<section class=\"schema\" id=\"schema-\(name)\" data-schema=\"\(name)\">"), "\(name)")
                    for property in (schema["properties"] as? [String: Any] ?? [:]).keys {
                        #expect(page.contains("<tr data-property=\"\(property)\">"), "\(name).\(property)")
                    }
                }
            }
        }
    }

    /// The example answer is there; a JSON one parses, equals the document's example where the document gives one,
    /// and else has every member the schema requires.
    static func checkExampleAnswer(_ section: String, op: [String: Any], doc: [String: Any], label: String) async throws {
        let text = try #require(preText(section, class: "example-answer"), "\(label): no example answer")
        #expect(!text.isEmpty, "\(label)")
        let responses = try #require(op["responses"] as? [String: [String: Any]])
        let status = try #require(responses.keys.sorted().first { $0.hasPrefix("2") })
        let content = try #require(responses[status]?["content"] as? [String: [String: Any]])
        guard let (type, media) = content.first(where: { $0.key.contains("json") }) else { return }
        #expect(section.contains("<p><code>\(status)</code> · <code>\(type)</code></p>"), "\(label)")
        let shown = try json(text)
        if let given = media["example"] {
            #expect(try canonical(shown) == canonical(given), "\(label): the page's example is not the document's")
        } else if let schema = resolve(media["schema"] as? [String: Any], in: doc), let required = schema["required"] as? [String] {
            let object = try #require(shown as? [String: Any], "\(label): the example is not an object")
            #expect(required.allSatisfy { object[$0] != nil }, "\(label): \(required) in \(object.keys)")
        }
    }

    /// The path and query of an example request's URL (`curl … 'http://localhost/…' …`).
    static func exampleURI(_ curl: String) -> String? {
        guard let start = curl.range(of: "'http://localhost") else { return nil }
        return String(curl[start.upperBound...].prefix { $0 != "'" })
    }

    @Test("the example requests name the server by the request's host; a host that is not a plain name is not echoed")
    func exampleRequestsUseTheHost() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            try await ServerHarness.test(env, live: true) { client in
                let connection = try RawConnection(port: try #require(client.port))
                connection.send("GET /api HTTP/1.1\r\nHost: kilde.example:8080\r\nConnection: close\r\n\r\n")
                var answer: [UInt8] = []
                while let bytes = connection.receive(timeout: .seconds(10)), !bytes.isEmpty { answer += bytes }
                let page = String(decoding: answer, as: UTF8.self)
                #expect(page.hasPrefix("HTTP/1.1 200"), "\(page.prefix(300))")
                #expect(page.contains("<pre class=\"example-request\"><code>curl &#39;http://kilde.example:8080/v1/facts?dataset=ssb-12058"))
                #expect(page.contains("Adresse: <code>http://kilde.example:8080/</code>"))
                let refused = try await client.execute(uri: "/api?x=1", method: .get)
                #expect(refused.status == .badRequest, "the page takes no parameters")
            }
        }
        #expect(APIReferencePage.base(serverURL: "/", host: "evil\"><script>") == "http://127.0.0.1:8080")
        #expect(APIReferencePage.base(serverURL: "/", host: nil) == "http://127.0.0.1:8080")
        #expect(APIReferencePage.base(serverURL: "/kilde/", host: "[::1]:80") == "http://[::1]:80/kilde")
        #expect(APIReferencePage.base(serverURL: "https://api.example.org/", host: "localhost") == "https://api.example.org")
    }
}

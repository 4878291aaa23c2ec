/// The OpenAPI document read for people (`/api`): every operation in document order with its parameters, request
/// body, answers and examples, and every schema. Built from the bundled document (``OpenAPIDocument``) once, when the
/// routes are built, so the page can never describe another API than `/v1/openapi.json` does.
struct APIReference: Sendable {
    /// One method of one path.
    struct Operation: Sendable {
        /// Upper case, e.g. `GET`.
        let method: String
        let path: String
        /// `operationId`, or the method and path when the document gives none.
        let id: String
        let summary: String
        let description: String
        /// Path-level then operation-level parameters, and the headers the operation's security schemes ask for.
        let parameters: [Parameter]
        let requestBody: Body?
        let responses: [Response]
    }

    /// A parameter, with the value the example request and the try-it form use (`nil`: left out of the example).
    struct Parameter: Sendable {
        let name: String
        /// `path`, `query` or `header`.
        let location: String
        let description: String
        let required: Bool
        let schema: OrderedJSON
        /// Several values in one comma-separated field (`style: form`, `explode: false`).
        let commaSeparated: Bool
        let example: OrderedJSON?
    }

    /// A request or answer body of one media type.
    struct Body: Sendable {
        let mediaType: String
        let schema: OrderedJSON?
        let example: OrderedJSON?
    }

    /// One status code of an operation.
    struct Response: Sendable {
        let status: String
        let description: String
        let contents: [Body]
    }

    let title: String
    let version: String
    let description: String
    /// The first `servers` URL (`/` when none): relative to the server, or absolute.
    let serverURL: String
    let operations: [Operation]
    /// The component schemas, in document order.
    let schemas: [OrderedJSON.Member]

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// - Throws: ``OrderedJSON/ParseError`` when `document` is not JSON.
    init(document: [UInt8]) throws(OrderedJSON.ParseError) {
        let doc = try OrderedJSON(parsing: document)
        let examples = SchemaExamples(document: doc)
        title = doc["info"]?["title"]?.string ?? "API"
        version = doc["info"]?["version"]?.string ?? ""
        description = doc["info"]?["description"]?.string ?? ""
        serverURL = doc["servers"]?.items.first?["url"]?.string ?? "/"
        schemas = doc["components"]?["schemas"]?.members ?? []
        operations = (doc["paths"]?.members ?? []).flatMap { path in
            path.value.members.filter { Self.methods.contains($0.key) }.map { op in
                Self.operation(op, path: path, document: doc, examples)
            }
        }
    }

    /// One operation: the path's shared parameters, its own, and a header per API-key scheme its security names.
    static func operation(_ op: OrderedJSON.Member, path: OrderedJSON.Member, document doc: OrderedJSON, _ examples: SchemaExamples) -> Operation {
        let schemes = doc["components"]?["securitySchemes"] ?? .null
        let security = (op.value["security"] ?? doc["security"])?.items.flatMap { $0.members.map(\.key) } ?? []
        let parameters = (path.value["parameters"]?.items ?? []) + (op.value["parameters"]?.items ?? [])
        return Operation(method: op.key.uppercased(), path: path.key, id: op.value["operationId"]?.string ?? "\(op.key) \(path.key)",
                         summary: op.value["summary"]?.string ?? "", description: op.value["description"]?.string ?? "",
                         parameters: parameters.map { parameter(examples.resolved($0), examples) }
                             + security.compactMap { header(scheme: $0, schemes[$0] ?? .null) },
                         requestBody: op.value["requestBody"].flatMap { bodies(examples.resolved($0), examples).first },
                         responses: (op.value["responses"]?.members ?? []).map { r in
                             let response = examples.resolved(r.value)
                             return Response(status: r.key, description: response["description"]?.string ?? "", contents: bodies(response, examples))
                         })
    }

    /// The first answer worth showing as the example: the first 2xx (else the first) status, its first body.
    func exampleAnswer(_ op: Operation) -> (status: String, body: Body)? {
        let response = op.responses.first { $0.status.hasPrefix("2") } ?? op.responses.first
        guard let response, let body = response.contents.first else { return nil }
        return (response.status, body)
    }

    /// A parameter; its example is the one the document states, else for a required parameter one made from its
    /// schema. An optional one without a stated example is left out of the example request (not set to its default).
    static func parameter(_ p: OrderedJSON, _ examples: SchemaExamples) -> Parameter {
        let schema = p["schema"] ?? .null
        let required = p["required"]?.bool ?? (p["in"]?.string == "path")
        let given = p["example"] ?? p["examples"]?.members.first?.value["value"] ?? examples.stated(schema)
        return Parameter(name: p["name"]?.string ?? "", location: p["in"]?.string ?? "query", description: p["description"]?.string ?? "",
                         required: required, schema: schema,
                         commaSeparated: p["explode"]?.bool == false, example: given ?? (required ? examples.example(schema) : nil))
    }

    /// A security scheme that is an API key in a header, as the header parameter an operation needs.
    static func header(scheme name: String, _ scheme: OrderedJSON) -> Parameter? {
        guard scheme["type"]?.string == "apiKey", scheme["in"]?.string == "header", let header = scheme["name"]?.string else { return nil }
        let what = scheme["description"]?.string ?? "The key of the security scheme \(name)."
        return Parameter(name: header, location: "header", description: what, required: true, schema: .object([.init(key: "type", value: .string("string"))]),
                         commaSeparated: false, example: nil)
    }

    /// The bodies of a `requestBody` or a response, one per media type, each with the document's example or one
    /// made from its schema.
    static func bodies(_ owner: OrderedJSON, _ examples: SchemaExamples) -> [Body] {
        (owner["content"]?.members ?? []).map { media in
            let schema = media.value["schema"]
            let given = media.value["example"] ?? media.value["examples"]?.members.first?.value["value"]
            return Body(mediaType: media.key, schema: schema, example: given ?? schema.map { examples.example($0) })
        }
    }
}

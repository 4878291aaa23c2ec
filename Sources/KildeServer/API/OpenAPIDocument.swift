import Foundation

/// The hand-written OpenAPI 3.1 document shipped as a resource (`Resources/openapi.json`); the tests and CI
/// (openapi-spec-validator, schemathesis against the live server) keep it and the routes in step.
enum OpenAPIDocument {
    static let bytes: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
        .flatMap { FileManager.default.contents(atPath: $0.path) }

    static func payload() throws -> Payload {
        Payload(bytes: .init(data: try present()), contentType: "application/json")
    }

    /// The document read for the API reference page (`/api`).
    static func reference() throws -> APIReference {
        let bytes = try present()
        do { return try APIReference(document: [UInt8](bytes)) } catch {
            throw APIError(.internalServerError, title: "OpenAPI unreadable", detail: "openapi.json is \(error)")
        }
    }

    private static func present() throws -> Data {
        guard let bytes else { throw APIError(.internalServerError, title: "OpenAPI missing", detail: "openapi.json is missing from this build") }
        return bytes
    }
}

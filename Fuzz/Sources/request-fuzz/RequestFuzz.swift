import Foundation
import HTTPTypes
import Hummingbird
import KildeCatalog
import KildeCore
@testable import KildeServer

/// The catalogue every request is validated against, read once per process.
let registry: Registry = {
    do { return try Registry(catalog: BundledCatalog.load()) } catch { fatalError("the bundled catalogue does not load: \(error)") }
}()

/// One fuzz input: any bytes as what a client sends the server. The first byte picks the parser: even, the
/// rest is the query string of `GET /v1/facts` (and of the explorer, which also takes `run`); odd, the rest is the
/// body of `POST /v1/admin/ingest`. A thrown ``APIError`` is the expected answer to junk; a crash, a hang or a
/// sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func requestFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] % 2 == 0 {
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost",
                                                path: "/v1/facts?" + String(decoding: rest, as: UTF8.self)),
                              body: RequestBody(buffer: ByteBuffer()))
        _ = try? FactsRequest(request, registry: registry)
        _ = try? FactsRequest(request, registry: registry, extra: ["run"])
    } else {
        // The admin route's order: the strict check, then the decoder, then the catalogue.
        guard (try? StrictJSON.check(rest, allowed: ["dataset", "years", "filters"])) != nil,
              let body = try? JSONDecoder().decode(API.IngestBody.self, from: Data(rest)) else { return 0 }
        _ = try? IngestOrder(dataset: body.dataset, years: body.years, filters: body.filters ?? [:], registry: registry)
    }
    return 0
}

import Foundation
import KildeCore
import KildeStore

/// An ingest job's parameters as the queue keeps them (`work_queue.payload`): the selection as a person or program
/// wrote it, resolved against the catalogue when the job runs, and whether the explorer asked for it.
public struct IngestJob: Sendable, Hashable, Codable {
    public var selection: SelectionRequest
    /// An ingest the explorer's "fetch this slice" asked for: it spends the server's explorer budget.
    public var explorer: Bool

    public init(selection: SelectionRequest = SelectionRequest(), explorer: Bool = false) {
        self.selection = selection
        self.explorer = explorer
    }

    /// The payload: canonical JSON (keys sorted), so equal jobs have equal payloads.
    public var payload: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Reads a payload; an empty object is the whole plan.
    /// - Throws: `DecodingError` for a payload that is not an ingest job.
    public init(payload: String) throws {
        struct Loose: Decodable {
            var selection: SelectionRequest?
            var explorer: Bool?
        }
        let loose = try JSONDecoder().decode(Loose.self, from: Data(payload.utf8))
        self.init(selection: loose.selection ?? SelectionRequest(), explorer: loose.explorer ?? false)
    }

    /// The job request for `dataset`, with the dataset's retry policy.
    /// - Throws: ``OrchestrationOptionError`` when the dataset's retry options cannot be read.
    public static func request(_ dataset: DatasetDefinition, job: IngestJob = IngestJob(), wave: String, dedupeKey: String? = nil,
                               reason: String, retries: Bool = true, pinnedTo: String? = nil) throws(OrchestrationOptionError) -> JobRequest {
        JobRequest(kind: .ingest, asset: dataset.key, payload: job.payload, wave: wave, dedupeKey: dedupeKey, reason: reason,
                   retry: retries ? try dataset.retryPolicy() : AssetRetryPolicy(attempts: 1), pinnedTo: pinnedTo)
    }
}

import Foundation
import KildeCore
import KildeSources
import KildeStore
import KildeUpstream

/// `kilde catalog --check`: every dataset's adapter is made from its catalogue options (a typo fails here, not at
/// the first ingest); then, when the upstream can be reached, its metadata is read and the codes the catalogue names
/// are checked against what it offers now. Nothing is stored: no bronze, no store.
public enum CatalogCheck {
    /// One dataset's findings.
    public struct Report: Sendable {
        public var dataset: String
        public var findings: [CatalogFinding]
        /// Why the dataset was not checked against its upstream, when it was not.
        public var offline: String?

        public var hasProblems: Bool { findings.contains { $0.severity == .problem } }
    }

    /// Checks every dataset of `registry`, one after another (each reads one table's metadata).
    /// - Parameter online: whether to read the upstreams' metadata.
    public static func run(registry: Registry, upstream: Upstream, kinds: AdapterKinds = .builtIn, online: Bool) async -> [Report] {
        var reports: [Report] = []
        for dataset in registry.catalog.datasets {
            let adapter: any DatasetAdapter
            do {
                adapter = try kinds.adapter(for: dataset, registry: registry, upstream: upstream)
                try orchestration(dataset, adapter: adapter)
            } catch {
                reports.append(Report(dataset: dataset.key, findings: [CatalogFinding(.problem, "\(error)")]))
                continue
            }
            guard online else {
                reports.append(Report(dataset: dataset.key, findings: [], offline: "not asked (--offline)"))
                continue
            }
            reports.append(await check(adapter, upstream: upstream, registry: registry))
        }
        return reports
    }

    /// The dataset's schedule, retry policy and release sensor can be read, and its adapter can poll the sensor.
    /// - Throws: the first problem, naming the option or the cron line.
    static func orchestration(_ dataset: DatasetDefinition, adapter: any DatasetAdapter) throws {
        _ = try dataset.nextScheduledRun(after: .now)
        _ = try dataset.retryPolicy()
        guard try dataset.releaseSensor() != nil else { return }
        guard (adapter as? any ReleaseWatching)?.releaseRequest() != nil else {
            throw OrchestrationOptionError(dataset: dataset.key, option: "sensor", reason: "needs an upstream that says when it published (a PxWeb host speaking v2)")
        }
    }

    /// Drives a conversation against the upstreams, keeping nothing: no bronze, no store (reading metadata to
    /// propose or check catalogue rows).
    /// - Parameter dataset: names the dataset in errors.
    public static func converse<Outcome: Sendable>(_ conversation: any Conversation<Outcome>, upstream: Upstream, dataset: String,
                                                   source: String) async throws(IngestError) -> Outcome {
        let exchange = RunExchange(upstream: upstream, bronze: nil, store: nil, dataset: dataset, sourceName: source.uppercased())
        var artifacts: [RawArtifact] = []
        return try await exchange.drive(conversation, events: { _ in }, ask: nil, artifacts: &artifacts)
    }

    static func check<A: DatasetAdapter>(_ adapter: A, upstream: Upstream, registry: Registry) async -> Report {
        let key = adapter.dataset.key
        let source = registry.source(id: adapter.dataset.sourceID)?.key ?? "upstream"
        do throws(IngestError) {
            let prepared = try await converse(adapter.prepare(), upstream: upstream, dataset: key, source: source)
            return Report(dataset: key, findings: adapter.audit(prepared))
        } catch {
            if error.code == .upstream || error.code == .cancelled { return Report(dataset: key, findings: [], offline: error.message) }
            // The metadata was read but does not fit the catalogue (a variable renamed, a held code gone).
            return Report(dataset: key, findings: [CatalogFinding(.problem, error.message)])
        }
    }
}

import ArgumentParser
import Foundation
import KildeJSONStat
import KildeUpstream

struct Decode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print any JSON-stat document (each dataset of a collection or bundle) as a flat table.",
        discussion: "One row per cell, a column per dimension (labels by default, ids with --ids), then value and status. Missing cells print an empty value.")

    @Argument(help: "A file path or an http(s) URL.")
    var input: String

    @Flag(name: .long, help: "Print category ids instead of labels.")
    var ids = false

    @Option(name: .long, help: "table, csv or json.")
    var format: String = "table"

    @Option(name: .long, help: "At most this many rows per dataset.")
    var limit: Int?

    func run() async throws {
        try await reporting {
            guard let format = OutputFormat(rawValue: format) else { throw CLIError(.usage, "--format must be table, csv or json") }
            let bytes = try await load()
            let doc: JSONStatDocument
            do { doc = try JSONStat.decode(bytes) } catch { throw CLIError(.usage, "\(input): \(error)") }
            for (n, ds) in doc.datasets.enumerated() {
                if format == .table {
                    let name = [ds.name, ds.label].compactMap { $0 }.joined(separator: ": ")
                    printOut("\(n > 0 ? "\n" : "")dataset \(n + 1)/\(doc.datasets.count)\(name.isEmpty ? "" : " — " + name) (\(ds.cellCount) cells, \(ds.presentCount) with a value)\n")
                }
                var rows: [[String]] = []
                let cap = limit ?? Int.max
                for flat in 0..<ds.cellCount where rows.count < cap {
                    let idx = ds.indices(ofFlat: flat)
                    var row = idx.enumerated().map { d, i in
                        let c = ds.dimensions[d].categories[i]
                        return ids ? c.id : c.label
                    }
                    row.append(ds.value(at: flat).map(formatNumber) ?? "")
                    row.append(ds.status(at: flat) ?? "")
                    rows.append(row)
                }
                printOut(TextTable(header: ds.dimensions.map { ids ? $0.id : ($0.label ?? $0.id) } + ["value", "status"], rows: rows).render(format))
            }
        }
    }

    func load() async throws -> [UInt8] {
        if input.hasPrefix("http://") || input.hasPrefix("https://") {
            let fetcher = HTTPFetcher()
            do {
                let r = try await fetcher.fetch(UpstreamRequest(url: input))
                try await fetcher.shutdown()
                return r.body
            } catch {
                try? await fetcher.shutdown()
                throw error
            }
        }
        guard let data = FileManager.default.contents(atPath: input) else { throw CLIError(.usage, "cannot read \(input)") }
        return Array(data)
    }
}

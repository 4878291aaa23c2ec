import ArgumentParser
import Foundation
import KildeJSONStat
import KildeUpstream

struct Decode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print any JSON-stat document (each dataset of a collection or bundle) as a flat table.",
        discussion: """
            One row per cell that has a value or a status, in row-major order: a column per dimension \
            (labels by default, ids with --ids), then value and status. A suppressed cell prints its status \
            and an empty value; --all-cells adds a row for every missing cell too. String values \
            (JSON-stat 2.0 allows them) print as they are (a JSON string with --format json).

            Rows are streamed to the output and nothing is kept per row, so memory does not grow with the \
            output (the table format reads the cells twice, to align its columns). Time follows the cells \
            printed: --limit stops early, also on a huge cube with a sparse value.

            Notes and warnings go to stderr, never into the table:
              - a dimension in 'dimension' that 'id' does not list (PxWeb's eliminated variable) is not a \
            column; a note names it, its label and its categories;
              - a number beyond the range of a Double (such as 1e400) decodes as inf or -inf: a warning names \
            each such cell (the first 10, then a count). The cell prints as inf (a JSON string "inf"); \
            ingest refuses such values. The exit status stays 0.
            """)

    @Argument(help: "A file path or an http(s) URL.")
    var input: String

    @Flag(name: .long, help: "Print category ids instead of labels.")
    var ids = false

    @Option(name: .long, help: "table, csv or json.")
    var format: String = "table"

    @Option(name: .long, help: "At most this many rows per dataset.")
    var limit: Int?

    @Flag(name: .long, help: "Also print a row for every missing cell without a status.")
    var allCells = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        try await reporting {
            guard let format = OutputFormat(rawValue: format) else { throw CLIError(.usage, "--format must be table, csv or json") }
            let doc = try await decode()
            var out = ByteSink()
            let writer = CellRowWriter(format: format, ids: ids, allCells: allCells, limit: limit ?? .max)
            for (n, ds) in doc.datasets.enumerated() {
                let place = doc.datasets.count > 1 ? "dataset \(n + 1): " : ""
                for dimension in ds.unlistedDimensions { note(place + Self.describeUnlisted(dimension)) }
                if format == .table {
                    let name = [ds.name, ds.label].compactMap { $0 }.joined(separator: ": ")
                    let strings = ds.stringCount > 0 ? ", \(ds.stringCount) of them strings" : ""
                    out.write("\(n > 0 ? "\n" : "")dataset \(n + 1)/\(doc.datasets.count)\(name.isEmpty ? "" : " — " + name) "
                        + "(\(ds.cellCount) cells, \(ds.presentCount) with a value\(strings))\n")
                }
                let summary = writer.write(ds, to: &out)
                for flat in summary.nonFinite {
                    let value = ds.value(at: flat).map(formatNumber) ?? ""
                    warn(place + "cell \(flat) (\(ds.describeCell(at: flat))): the number is beyond the range of a Double and decodes as \(value)")
                }
                if summary.nonFiniteCount > summary.nonFinite.count {
                    warn(place + "\(summary.nonFiniteCount - summary.nonFinite.count) more cells decode as inf or -inf")
                }
            }
            out.flush()
        }
    }

    /// Decodes the input; a file is mapped, not copied, so the document costs its size once.
    func decode() async throws -> JSONStatDocument {
        do {
            if input.hasPrefix("http://") || input.hasPrefix("https://") {
                return try JSONStat.decode(try await fetch())
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: input), options: .alwaysMapped) } catch {
                throw CLIError(.usage, "cannot read \(input)")
            }
            return try data.withUnsafeBytes { bytes throws(JSONStatError) in try JSONStat.decode(bytes) }
        } catch let error as JSONStatError {
            throw CLIError(.usage, "\(input): \(error)")
        }
    }

    func fetch() async throws -> [UInt8] {
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

    /// `dimension 'ContentsCode' (statistikkvariabel) is not listed in 'id' …`.
    static func describeUnlisted(_ dimension: JSONStatDimension) -> String {
        let label = dimension.label.map { " (\($0))" } ?? ""
        let shown = dimension.categories.prefix(5).map { $0.label == $0.id ? $0.id : "\($0.id) \"\($0.label)\"" }
        let more = dimension.count > shown.count ? ", …" : ""
        let noun = dimension.count == 1 ? "category" : "categories"
        return "dimension '\(dimension.id)'\(label) is not listed in 'id' and is not a column "
            + "(\(dimension.count) \(noun): \(shown.joined(separator: ", "))\(more))"
    }

    func note(_ message: String) {
        printErr("kilde decode: note: \(message)\n")
    }

    func warn(_ message: String) {
        printErr("kilde decode: warning: \(message)\n")
    }
}

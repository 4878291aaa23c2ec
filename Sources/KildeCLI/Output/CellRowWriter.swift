import KildeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KildeJSONStat

/// Bytes written to a file descriptor through a buffer of about 64 KiB, flushed between rows.
struct ByteSink {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 16

    init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.capacity + 1024)
    }

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    mutating func write(_ bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Ends a row (or a line): a newline, after trimming trailing spaces when asked; writes out
    /// the buffer once it holds 64 KiB.
    mutating func endRow(trimming: Bool = false) {
        if trimming { while buffer.last == 0x20 { buffer.removeLast() } }
        buffer.append(0x0A)
        if buffer.count >= Self.capacity { flush() }
    }

    mutating func write(byte: UInt8) {
        buffer.append(byte)
    }

    mutating func write(spaces count: Int) {
        for _ in 0..<max(count, 0) { buffer.append(0x20) }
    }

    /// Appends the decimal digits of `value`.
    mutating func write(integer value: Int64) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for k in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[k]) }
        }
    }

    /// Writes everything buffered. Errors (such as a closed pipe) end the output silently.
    mutating func flush() {
        var offset = 0
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while offset < raw.count {
                let n = Glibc.write(descriptor, base + offset, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    break
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Streams the cells of a dataset as table, CSV or JSON rows: one row per cell, a column per
/// dimension, then value and status. Nothing is kept per row, so memory does not grow with the output.
struct CellRowWriter {
    var format: OutputFormat
    /// Category ids instead of labels.
    var ids: Bool
    /// Also rows for cells with neither a value nor a status.
    var allCells: Bool
    /// At most this many rows.
    var limit: Int

    /// What writing a dataset found.
    struct Summary {
        var rows = 0
        /// Flat indices of cells whose number is ±infinity (at most ``maximumReported``), and how many in all.
        var nonFinite: [Int] = []
        var nonFiniteCount = 0
        static let maximumReported = 10
    }

    private struct Stop: Error {}

    /// A column's texts, encoded once for the format, in one buffer (a dimension may have
    /// 100,000 categories: a small array per category would cost several times the text).
    private struct Column {
        var header: [UInt8]
        var headerWidth: Int
        /// The encoded texts of all categories, back to back; category `k` ends at `ends[k]`.
        var bytes: [UInt8] = []
        var ends: [Int] = []
        /// Per category: the width in characters, and whether it is numeric (right-aligned).
        var widths: [Int32] = []
        var numeric: [Bool] = []

        init(header text: String, categories: [String], encode: (String) -> [UInt8]) {
            header = encode(text)
            headerWidth = text.count
            ends.reserveCapacity(categories.count)
            widths.reserveCapacity(categories.count)
            numeric.reserveCapacity(categories.count)
            for text in categories {
                bytes += encode(text)
                ends.append(bytes.count)
                widths.append(Int32(clamping: text.count))
                numeric.append(TextTable.isNumeric(text))
            }
        }

        func text(_ k: Int) -> ArraySlice<UInt8> {
            bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]]
        }

        func width(_ k: Int) -> Int { Int(widths[k]) }
    }

    func write(_ dataset: JSONStatDataset, to sink: inout ByteSink) -> Summary {
        let columns = dataset.dimensions.map { dimension in
            Column(
                header: ids ? dimension.id : (dimension.label ?? dimension.id),
                categories: dimension.categories.map { ids ? $0.id : $0.label }, encode: encode)
        }
        let names = ["value", "status"]
        var summary = Summary()
        switch format {
        case .table:
            // First pass: the widths of the rows that will be printed.
            var widths = columns.map(\.headerWidth) + names.map(\.count)
            visit(dataset) { _, indices, value, status in
                for k in 0..<columns.count { widths[k] = max(widths[k], columns[k].width(indices[k])) }
                widths[columns.count] = max(widths[columns.count], Self.width(value))
                widths[columns.count + 1] = max(widths[columns.count + 1], status?.count ?? 0)
            }
            for (k, column) in columns.enumerated() {
                sink.write(column.header)
                sink.write(spaces: widths[k] - column.headerWidth + 2)
            }
            sink.write("value")
            sink.write(spaces: widths[columns.count] - 5 + 2)
            sink.write("status")
            sink.endRow(trimming: true)
            sink.write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            sink.endRow()
            summary = visit(dataset) { _, indices, value, status in
                for k in 0..<columns.count {
                    let category = indices[k]
                    let numeric = columns[k].numeric[category]
                    let pad = widths[k] - columns[k].width(category)
                    if numeric { sink.write(spaces: pad) }
                    sink.write(columns[k].text(category))
                    if !numeric { sink.write(spaces: pad) }
                    sink.write(spaces: 2)
                }
                let text = Self.text(value)
                let pad = widths[columns.count] - Self.width(value)
                let numeric = value?.number != nil || TextTable.isNumeric(text)
                if numeric { sink.write(spaces: pad) }
                sink.write(text)
                if !numeric { sink.write(spaces: pad) }
                sink.write(spaces: 2)
                sink.write(status ?? "")
                sink.endRow(trimming: true)
            }
        case .csv:
            for column in columns {
                sink.write(column.header)
                sink.write(byte: UInt8(ascii: ","))
            }
            sink.write("value,status")
            sink.endRow()
            summary = visit(dataset) { _, indices, value, status in
                for k in 0..<columns.count {
                    sink.write(columns[k].text(indices[k]))
                    sink.write(byte: UInt8(ascii: ","))
                }
                switch value {
                case .number(let v)?: writeNumber(v, to: &sink)
                case .string(let s)?: sink.write(encode(s))
                case nil: break
                }
                sink.write(byte: UInt8(ascii: ","))
                if let status { sink.write(encode(status)) }
                sink.endRow()
            }
        case .json:
            let keys = (columns.map(\.header) + names.map(encode)).map { $0 + [UInt8(ascii: ":")] }
            sink.write(byte: UInt8(ascii: "["))
            var first = true
            summary = visit(dataset) { _, indices, value, status in
                if !first {
                    sink.write(byte: UInt8(ascii: ","))
                    sink.endRow()
                    sink.write(byte: 0x20)
                }
                first = false
                sink.write(byte: UInt8(ascii: "{"))
                for k in 0..<columns.count {
                    sink.write(keys[k])
                    sink.write(columns[k].text(indices[k]))
                    sink.write(byte: UInt8(ascii: ","))
                }
                sink.write(keys[columns.count])
                switch value {
                case .number(let v)? where v.isFinite: writeNumber(v, to: &sink)
                case .number(let v)?: sink.write(encode(Self.text(.number(v))))  // "inf": JSON has no infinity
                case .string(let s)?: sink.write(encode(s))
                case nil: sink.write("null")
                }
                sink.write(byte: UInt8(ascii: ","))
                sink.write(keys[columns.count + 1])
                if let status { sink.write(encode(status)) } else { sink.write("null") }
                sink.write(byte: UInt8(ascii: "}"))
            }
            sink.write(byte: UInt8(ascii: "]"))
            sink.endRow()
        }
        sink.flush()
        return summary
    }

    /// Calls `row` for each cell to print, in row-major order, up to the limit; counts rows and
    /// non-finite numbers.
    @discardableResult
    private func visit(
        _ dataset: JSONStatDataset,
        _ row: (Int, UnsafeBufferPointer<Int>, JSONStatValue?, String?) -> Void
    ) -> Summary {
        var summary = Summary()
        guard limit > 0 else { return summary }
        do {
            try dataset.forEachCellValue(includingMissing: allCells) { flat, indices, value, status in
                if case .number(let v)? = value, !v.isFinite {
                    summary.nonFiniteCount += 1
                    if summary.nonFinite.count < Summary.maximumReported { summary.nonFinite.append(flat) }
                }
                row(flat, indices, value, status)
                summary.rows += 1
                if summary.rows >= limit { throw Stop() }
            }
        } catch {
            // Stop: the limit was reached.
        }
        return summary
    }

    /// The text of a value as people read it: integers without decimals, strings as they are.
    static func text(_ value: JSONStatValue?) -> String {
        switch value {
        case .number(let v)?: return formatNumber(v)
        case .string(let s)?: return s
        case nil: return ""
        }
    }

    /// The width of ``text(_:)`` in characters (numbers are ASCII).
    static func width(_ value: JSONStatValue?) -> Int {
        if case .string(let s)? = value { return s.count }
        return text(value).utf8.count
    }

    private func writeNumber(_ v: Double, to sink: inout ByteSink) {
        if v == v.rounded(), abs(v) < 1e15 {
            sink.write(integer: Int64(v))
        } else {
            sink.write(String(v))
        }
    }

    /// A text as a CSV field, a JSON string, or as it is for the table.
    private func encode(_ text: String) -> [UInt8] {
        switch format {
        case .table: return Array(text.utf8)
        case .csv: return Array(TextTable.csvField(text).utf8)
        case .json: return Self.jsonString(text)
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, UTF-8 kept.
    static func jsonString(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 2)
        CanonicalJSON.appendEscaped(text, to: &out)
        out.append(UInt8(ascii: "\""))
        return out
    }
}

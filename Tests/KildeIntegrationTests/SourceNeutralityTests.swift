import Foundation
import KildeCatalog
import KildeCore
import KildeTestSupport
import Testing

/// Below the adapters nothing names a particular source: no code line (comments aside) under the store, the ingest
/// loop or the server holds a source key, a dataset key, a table id or a category's or filter's code from the
/// catalogue. The catalogue is the one place they are written.
struct SourceNeutralityTests {
    static let modules = ["KildeStore", "KildeIngest", "KildeServer"]

    @Test func noCodeLineNamesASourceDatasetOrCode() throws {
        let c = try BundledCatalog.load()
        var names = Set(c.sources.map(\.key) + c.datasets.map(\.key) + c.datasets.map(\.tableID))
        names.formUnion(c.categories.map(\.nativeAPICode).filter { $0.count >= 4 })
        // Codes of one to three characters (BRIS's building groups `0`…`7`) are ordinary numbers in code.
        names.formUnion(c.filters.filter { $0.axis != .region }.map(\.nativeCode).filter { $0.count >= 4 })
        names.formUnion(["EKA", "EAK"])
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var found: [String] = []
        for module in Self.modules {
            let dir = sources.appendingPathComponent(module)
            guard let files = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = Self.code(of: String(line))
                    for name in names where Self.contains(code, word: name) {
                        found.append("\(module)/\(file):\(n + 1): '\(name)' in \(line.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        #expect(!names.isEmpty)
    }

    /// A line without its comment (`//` outside a string literal).
    static func code(of line: String) -> String {
        var inString = false
        var previous: Character = " "
        var out = ""
        for ch in line {
            if ch == "\"" && previous != "\\" { inString.toggle() }
            if !inString && ch == "/" && previous == "/" { out.removeLast(); return out }
            out.append(ch)
            previous = ch
        }
        return out
    }

    /// Whether `text` has `word` with no letter, digit, `-` or `_` on either side.
    static func contains(_ text: String, word: String) -> Bool {
        var start = text.startIndex
        while let r = text.range(of: word, range: start..<text.endIndex) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            func boundary(_ c: Character?) -> Bool { c.map { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ?? true }
            if boundary(before) && boundary(after) { return true }
            start = r.upperBound
        }
        return false
    }
}

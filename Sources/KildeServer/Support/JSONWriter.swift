import KildeCore

/// A small JSON writer for the hot read path (`/v1/facts`): Foundation's `JSONEncoder` on Linux costs more than
/// the SQL behind a typical request. Writes UTF-8 bytes directly; strings are escaped per RFC 8259.
///
/// Member names are `StaticString`s written without an escaping scan (they are identifiers in this source), and
/// a value that repeats across rows (a category, a filter label) can be encoded once with ``fragment(_:)`` and
/// copied in with ``raw(_:)``.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the innermost open container (or the top level) needs a comma before its next value; the enclosing
    /// containers' flags wait in `enclosing`. The flag a value checks is a stored property, not an array element:
    /// a large answer checks it thousands of times.
    private var needsComma = false
    private var enclosing: [Bool] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts an object member; the next value written is its value. The name must need no escaping.
    mutating func key(_ k: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Starts an object member whose name is data (e.g. a filter axis). A separate label from ``key(_:)``, which a
    /// string literal would otherwise not pick (a literal prefers `String`).
    mutating func key(data k: String) {
        separator()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ s: String) { separator(); writeString(s) }
    mutating func int(_ v: Int) { separator(); writeInt(Int64(v)) }
    mutating func bool(_ v: Bool) { separator(); bytes += (v ? "true" : "false").utf8 }
    mutating func null() { separator(); bytes += "null".utf8 }

    /// A complete JSON value encoded earlier (see ``fragment(_:)``), written as the next value.
    mutating func raw(_ value: [UInt8]) { separator(); bytes += value }

    /// Members of the open object encoded earlier, ending with a member name and its colon (see ``fragment(_:)``):
    /// the next value written is that member's value.
    mutating func rawMembers(_ members: [UInt8]) {
        separator()
        bytes += members
        needsComma = false
    }

    /// Encodes one value on its own, to be written many times with ``raw(_:)``.
    static func fragment(_ write: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 64)
        write(&w)
        return w.bytes
    }

    /// Integral values without a fraction (as the Codable encoder writes them for whole counts), others in
    /// Swift's shortest round-trip form; non-finite values (never stored) as null.
    mutating func number(_ v: Double) {
        separator()
        if !v.isFinite { bytes += "null".utf8 } else if v == v.rounded(), abs(v) < 1e15 { writeInt(Int64(v)) } else { bytes += String(v).utf8 }
    }

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    private mutating func open(_ bracket: UInt8) {
        separator()
        bytes.append(bracket)
        enclosing.append(needsComma)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = enclosing.popLast() ?? true
    }

    /// Decimal digits straight into the buffer: `String(v)` would allocate for every value of a large answer.
    private mutating func writeInt(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buf in
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            bytes.append(contentsOf: buf[i...])
        }
    }

    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        // Most labels need no escaping: copy them whole from contiguous UTF-8.
        let copied = s.withUTF8 { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        CanonicalJSON.appendEscaped(s, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}

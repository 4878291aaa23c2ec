import KildeSources
import Testing

@Suite("BRASK numbers (Norwegian format)")
struct BRASKNumberTests {
    @Test(arguments: [
        ("0", BRASKNumber.Cell.number(0)),
        ("12", .number(12)),
        (" 7 ", .number(7)),
        ("1\u{00A0}234", .number(1234)),
        ("1\u{202F}234\u{202F}567", .number(1_234_567)),
        ("1 234", .number(1234)),
        ("12\u{2007}345", .number(12345)),
        ("1\u{00A0}234,5", .number(1234.5)),
        ("12,25", .number(12.25)),
        ("-1\u{00A0}234", .number(-1234)),
        ("\u{2212}5", .number(-5)),
        ("", .empty),
        ("\u{00A0}", .empty),
        ("  \n\t ", .empty),
        ("1.234", .invalid),
        ("1,2,3", .invalid),
        ("12 34", .invalid),
        ("1234 567", .invalid),
        ("1  234", .invalid),
        ("1 234 ,5", .invalid),
        ("1 234,5 6", .invalid),
        ("abc", .invalid),
        ("-", .invalid),
        ("1,", .invalid),
        (",5", .invalid),
        ("1e5", .invalid),
        ("12 ", .number(12)),
        ("1 2", .invalid),
    ])
    func cells(_ text: String, _ expected: BRASKNumber.Cell) {
        #expect(BRASKNumber.parse(text) == expected, "'\(text)'")
    }
}

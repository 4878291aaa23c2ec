import KildeHTML
import KildeSources
import Testing

@Suite("BRASK form page")
struct BRASKFormTests {
    typealias Pages = BRASKPages

    @Test func everyWebFormsStateFieldIsKeptInPageOrder() throws {
        let form = try BRASKForm.parse(Array(Pages.page(result: "").utf8))
        #expect(form.stateFields.map(\.name) == ["__EVENTTARGET", "__EVENTARGUMENT", "__VIEWSTATE", "__VIEWSTATEGENERATOR", "__EVENTVALIDATION"])
        #expect(form.stateFields.first { $0.name == "__EVENTVALIDATION" }?.value == "/wEdAAaF+abc/def==")
        #expect(form.action == "./")
        #expect(form.select("ddlRad")?.name == "ctl00$Innhold$ddlRad")
        #expect(form.radioButtons("rblVerdi").map(\.label) == ["Antall skader", "Erstatning (1000 kr)"])
        #expect(BRASKForm.controlID("ctl00$Innhold$lbAar") == "lbAar")
        #expect(BRASKForm.controlID("plain") == "plain")
    }

    @Test func aSubmissionSendsTheStateTheChoicesAndTheButton() throws {
        let form = try BRASKForm.parse(Array(Pages.page(result: "").utf8))
        let fields = try form.submission(["ddlKolonne": ["dag"], "lbAar": ["2023", "2024"], "rblVerdi": ["2"]])
        let pairs = fields.map { "\($0.name)=\($0.value)" }
        #expect(Array(pairs.prefix(5)) == form.stateFields.map { "\($0.name)=\($0.value)" })
        #expect(pairs.contains("ctl00$Innhold$ddlRad=arsak"), "a control not chosen keeps the page's value")
        #expect(pairs.filter { $0.hasPrefix("ctl00$Innhold$ddlKolonne=") } == ["ctl00$Innhold$ddlKolonne=dag"])
        #expect(pairs.filter { $0.hasPrefix("ctl00$Innhold$lbAar=") } == ["ctl00$Innhold$lbAar=2023", "ctl00$Innhold$lbAar=2024"])
        #expect(pairs.filter { $0.hasPrefix("ctl00$Innhold$rblVerdi=") } == ["ctl00$Innhold$rblVerdi=2"])
        #expect(pairs.last == "ctl00$Innhold$btnVis=Vis tabell")
        let cleared = try form.submission(["lbAar": []]).map(\.name)
        #expect(!cleared.contains("ctl00$Innhold$lbAar"), "an empty choice clears a list box: no filter")
    }

    @Test(arguments: [
        (["ddlFoo": ["1"]], "btnVis", "no control ddlFoo"),
        (["ddlRad": ["kommune"]], "btnVis", "'kommune' is not an option of ddlRad"),
        (["lbAar": ["2024", "1999"]], "btnVis", "'1999' is not an option of lbAar"),
        (["ddlRad": ["arsak", "dag"]], "btnVis", "ddlRad takes one value, not 2"),
        (["rblVerdi": ["3"]], "btnVis", "'3' is not an option of rblVerdi"),
        ([:], "btnSend", "no submit button btnSend"),
    ] as [([String: [String]], String, String)])
    func invalidChoicesAreRefusedBeforeAnythingIsSent(_ choices: [String: [String]], _ submit: String, _ detail: String) throws {
        let form = try BRASKForm.parse(Array(Pages.page(result: "").utf8))
        let error = #expect(throws: BRASKPageError.self) { try form.submission(choices, submit: submit) }
        #expect(error?.code == .invalidChoice)
        #expect(error?.message.contains(detail) == true, "'\(error?.message ?? "")'")
    }

    @Test(arguments: [
        (Pages.page(result: "", state: "<input type=hidden name=__EVENTVALIDATION value=x>"), BRASKPageError.Code.missingFormField, "no __VIEWSTATE"),
        ("<html><body><p>Vedlikehold</p></body></html>", .missingFormField, "no form"),
        (Pages.aspNetError, .serverError, "viewstate MAC"),
        ("   ", .notHTML, "empty"),
    ])
    func aPageWithoutWhatAPostNeedsIsAnError(_ html: String, _ code: BRASKPageError.Code, _ detail: String) {
        let error = #expect(throws: BRASKPageError.self) { try BRASKForm.parse(Array(html.utf8)) }
        #expect(error?.code == code)
        #expect(error?.message.contains(detail) == true, "'\(error?.message ?? "")'")
    }
}

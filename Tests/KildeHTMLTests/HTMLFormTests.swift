import KildeHTML
import Testing

struct HTMLFormTests {
    static let page = """
        <form name="aspnetForm" method="POST" action="./" id="aspnetForm">
        <input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="abc&amp;=" />
        <input type="hidden" name="__EVENTVALIDATION" value="ev" />
        <input type=hidden name=__EVENTTARGET value="">
        <input name="q" value="text without type">
        <input type="hidden" value="nameless">
        <select name="ctl00$Innhold$ddlRad" id="ctl00_Innhold_ddlRad">
          <option value="arsak">Årsak</option><option selected="selected" value="dag">Dag</option>
        </select>
        <select name="ctl00$Innhold$lbAar" multiple="multiple" size="4">
          <option value="2023" selected>2023<option value="2024" selected>2024<option value="2025">2025
        </select>
        <select name="empty"></select>
        <select name="none"><option>Første</option><option value="2">Andre</option></select>
        <table id="ctl00_Innhold_rblVerdi"><tr><td>
          <input id="ctl00_Innhold_rblVerdi_0" type="radio" name="ctl00$Innhold$rblVerdi" value="1" checked="checked" /><label for="ctl00_Innhold_rblVerdi_0">Antall skader</label>
        </td><td>
          <input id="ctl00_Innhold_rblVerdi_1" type="RADIO" name="ctl00$Innhold$rblVerdi" value="2" /><label for="ctl00_Innhold_rblVerdi_1"> Erstatning (1000 kr) </label>
        </td></tr></table>
        <input type="checkbox" name="c" checked>
        <input type="submit" name="ctl00$Innhold$btnVis" value="Vis tabell" />
        <textarea name="t">hei</textarea>
        </form>
        """

    @Test func hiddenFieldsRoundTripWithEntitiesDecoded() throws {
        let form = try #require(try HTMLDocument(parsing: Self.page).forms.first)
        #expect(form.method == "post")
        #expect(form.action == "./")
        #expect(form.hiddenFields == [HTMLField(name: "__VIEWSTATE", value: "abc&="), HTMLField(name: "__EVENTVALIDATION", value: "ev"),
                                      HTMLField(name: "__EVENTTARGET", value: "")])
    }

    @Test func selectsAndRadioButtonsWithTheirLabels() throws {
        let form = try #require(try HTMLDocument(parsing: Self.page).forms.first)
        let rad = try #require(form.select(named: "ctl00$Innhold$ddlRad"))
        #expect(rad.id == "ctl00_Innhold_ddlRad")
        #expect(rad.options.map(\.label) == ["Årsak", "Dag"])
        #expect(rad.submittedValues == ["dag"])
        let years = try #require(form.select(named: "ctl00$Innhold$lbAar"))
        #expect(years.isMultiple)
        #expect(years.options.map(\.value) == ["2023", "2024", "2025"], "unclosed options are options, each with its own text")
        #expect(years.submittedValues == ["2023", "2024"])
        #expect(form.select(named: "empty")?.submittedValues == [])
        #expect(form.select(named: "none")?.submittedValues == ["Første"], "an option without a value submits its text")
        let verdi = form.radioButtons(named: "ctl00$Innhold$rblVerdi")
        #expect(verdi.map(\.value) == ["1", "2"])
        #expect(verdi.map(\.label) == ["Antall skader", "Erstatning (1000 kr)"])
        #expect(verdi.map(\.isChecked) == [true, false])
    }

    @Test func theDefaultSubmissionIsWhatABrowserSends() throws {
        let form = try #require(try HTMLDocument(parsing: Self.page).forms.first)
        #expect(form.defaultSubmission.map { "\($0.name)=\($0.value)" } == [
            "__VIEWSTATE=abc&=", "__EVENTVALIDATION=ev", "__EVENTTARGET=", "q=text without type",
            "ctl00$Innhold$rblVerdi=1", "c=on",
            "ctl00$Innhold$ddlRad=dag", "ctl00$Innhold$lbAar=2023", "ctl00$Innhold$lbAar=2024", "none=Første",
            "t=hei",
        ])
    }
}

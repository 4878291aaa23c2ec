/// Hand-written BRASK pages for the parser tests, in the shape ASP.NET renders them: a master page's form with
/// the WebForms fields, and the result table inside the `lblResultat` label. Written here, not taken from the
/// simulator, so the parser is checked against a second reading of the shape.
enum BRASKPages {
    static let nbsp = "&nbsp;"

    /// A result page whose table is `rows` (the first is the header), cells written as given.
    static func result(_ rows: [[String]], header: String = "th") -> String {
        let body = rows.enumerated().map { i, row in
            let tag = i == 0 ? header : "td"
            return "<tr>" + row.map { "<\(tag)>\($0)</\(tag)>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return page(result: "<span id=\"ctl00_Innhold_lblResultat\"><table class=\"resultat\" border=\"1\">\(body)</table></span>")
    }

    static func page(result: String, state: String = stateFields) -> String {
        """
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"><title>BRASK</title></head>
        <body><form name="aspnetForm" method="post" action="./" id="aspnetForm">
        \(state)
        <div class="sok">
          <select name="ctl00$Innhold$ddlRad" id="ctl00_Innhold_ddlRad"><option selected="selected" value="arsak">Årsak</option><option value="dag">Dag</option></select>
          <select name="ctl00$Innhold$ddlKolonne" id="ctl00_Innhold_ddlKolonne"><option value="arsak">Årsak</option><option selected="selected" value="ar">År</option><option value="dag">Dag</option></select>
          <select size="4" name="ctl00$Innhold$lbAar" multiple="multiple" id="ctl00_Innhold_lbAar"><option value="2023">2023</option><option value="2024">2024</option></select>
          <table id="ctl00_Innhold_rblVerdi"><tr>
            <td><input id="ctl00_Innhold_rblVerdi_0" type="radio" name="ctl00$Innhold$rblVerdi" value="1" checked="checked" /><label for="ctl00_Innhold_rblVerdi_0">Antall skader</label></td>
            <td><input id="ctl00_Innhold_rblVerdi_1" type="radio" name="ctl00$Innhold$rblVerdi" value="2" /><label for="ctl00_Innhold_rblVerdi_1">Erstatning (1000 kr)</label></td>
          </tr></table>
          <input type="submit" name="ctl00$Innhold$btnVis" value="Vis tabell" id="ctl00_Innhold_btnVis" />
        </div>
        \(result)
        </form></body></html>
        """
    }

    static let stateFields = """
        <div class="aspNetHidden">
        <input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
        <input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
        <input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAgIBD2QWBAIBDxBkZBYBZmQCAw8QZGQWAWZkZA==" />
        </div>
        <div class="aspNetHidden">
        <input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="CA0B0334" />
        <input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEdAAaF+abc/def==" />
        </div>
        """

    static let aspNetError = """
        <html><head><title>Validation of viewstate MAC failed.</title></head><body bgcolor="white">
        <span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>
        <h2> <i>Validation of viewstate MAC failed.</i> </h2></span>
        </body></html>
        """
}

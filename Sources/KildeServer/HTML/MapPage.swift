import Foundation
import KildeCore
import KildeStore

/// `/map`: a choropleth of Norway's kommuner for one indicator and year, rendered on the server as inline SVG
/// (one `<path>` per kommune, so it shows without JavaScript), with a legend, a year selector, a side panel and
/// the attribution line generated from the catalogue.
struct MapPage {
    let server: ServerContext

    /// Sequential classes from light to dark; kommuner without a value get the hatch pattern instead.
    static let palette = ["#fde0c5", "#facba6", "#f59e72", "#e4653f", "#b8322a"]

    /// - Parameter normalize: applies to counts only; the page ignores it for other indicators, so switching the
    ///   indicator in the form never fails.
    func render(indicator key: String?, year: Int?, normalize requested: Normalization) async throws -> HTMLPage {
        let read = IndicatorRead(server: server)
        let indicator = try read.indicator(key)
        let normalize = indicator.isCount ? requested : .none
        let data = try await read.read(indicator, year: year, normalize: normalize)
        guard let (structure, layer) = server.map.layer(for: data.structure) else {
            throw APIError(.internalServerError, title: "Map missing", detail: "the server has no kommune map")
        }
        let values = Dictionary(data.rows.map { ($0.kommune, $0) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(try await server.store.kommuner().filter { $0.structure == structure }.map { ($0.number, $0.name) },
                               uniquingKeysWith: { a, _ in a })
        let breaks = Self.quantileBreaks(data.rows.map(\.value), classes: Self.palette.count)

        var paths = ""
        paths.reserveCapacity(layer.paths.reduce(0) { $0 + $1.d.count + 120 })
        for (number, d) in layer.paths {
            let name = HTML.escape(values[number]?.name ?? names[number] ?? number)
            if let v = values[number] {
                paths += "<path class=\"k\" data-k=\"\(number)\" data-n=\"\(name)\" data-v=\"\(CSVEncoding.number(v.value))\" fill=\"\(Self.palette[Self.bin(v.value, breaks)])\" d=\"\(d)\"><title>\(name): \(HTML.number(v.value))</title></path>"
            } else {
                paths += "<path class=\"k nodata\" data-k=\"\(number)\" data-n=\"\(name)\" fill=\"url(#nodata)\" d=\"\(d)\"><title>\(name): ingen data</title></path>"
            }
        }
        var legend = ""
        for (i, color) in Self.palette.enumerated() where i < breaks.count + 1 && !data.rows.isEmpty {
            let lower = i == 0 ? data.rows.map(\.value).min() ?? 0 : breaks[i - 1]
            let upper = i < breaks.count ? breaks[i] : data.rows.map(\.value).max() ?? 0
            legend += "<span><i class=\"sw\" style=\"background:\(color)\"></i>\(HTML.number(lower))–\(HTML.number(upper))</span>"
        }
        legend += "<span><i class=\"sw\" style=\"background:repeating-linear-gradient(45deg,#c7ccd1 0 2px,#f2f4f6 2px 5px)\"></i>ingen data</span>"

        let indicatorOptions = server.registry.indicators.map { i in
            "<option value=\"\(HTML.escape(i.key))\"\(i.key == indicator.key ? " selected" : "")>\(HTML.escape(i.title))</option>"
        }.joined()
        let years = try await server.store.indicatorYears(indicator: indicator.key)
        let yearOptions = years.reversed().map { "<option\($0 == data.year ? " selected" : "")>\($0)</option>" }.joined()
        let normalizeControl = indicator.isCount
            ? "<label>Visning<select name=\"normalize\">" + [(Normalization.none, "Antall"), (.per1000, "Per 1 000 innbyggere")].map { n, label in
                "<option value=\"\(n.rawValue)\"\(n == normalize ? " selected" : "")>\(label)</option>"
            }.joined() + "</select></label>"
            : ""
        let title = indicator.title + (normalize == .per1000 ? " per 1 000 innbyggere" : "")
        let body = """
            <form class="controls" method="get" action="/map" id="mapform">
            <label>Indikator<select name="indicator">\(indicatorOptions)</select></label>
            <label>År<select name="year">\(yearOptions)</select></label>\(normalizeControl)
            <button type="submit">Vis</button></form>
            <p><strong>\(HTML.escape(title))</strong>\(data.year.map { ", \($0)" } ?? "") — \(data.rows.count) av \(layer.paths.count) kommuner har verdi (kommuneinndelingen fra \(structure)).</p>
            \(Self.unmatchedList(data.unmatched))
            <div class="mapwrap">
            <svg id="map" viewBox="\(layer.viewBox)" data-structure="\(structure)" role="img" aria-label="Kart over Norges kommuner: \(HTML.escape(title))">
            <defs><pattern id="nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f4f6"/><rect width="2" height="6" fill="#c7ccd1"/></pattern></defs>
            \(paths)</svg>
            <aside class="panel" id="panel" data-national="\(data.national.map { CSVEncoding.number($0) } ?? "")" data-unit="\(HTML.escape(data.unit))">
            <h2 id="p-name">Hele landet</h2><p id="p-value">\(HTML.number(data.national))</p><p id="p-share">Pek på eller velg en kommune.</p></aside>
            </div>
            <div class="legend" id="legend">\(legend)</div>
            <p class="attribution" id="attribution">\(HTML.escape(data.attribution))\(data.demo ? " — DEMO DATA" : "") · Kart: \(HTML.escape(layer.credit))</p>
            """
        return HTMLPage(title: "Kart: \(title)", section: .map, demo: data.demo, body: body, script: Self.script, credits: server.credits)
    }

    /// The regions the map does not draw, one per code (a split kommune lists every kommune it became), never left
    /// out: "3 regioner er ikke tegnet: …", the first few named in the summary and all of them with the reason inside.
    static func unmatchedList(_ unmatched: [API.Unmatched]) -> String {
        var order: [String] = []
        var byRegion: [String: (label: String, reason: String, targets: [String])] = [:]
        for u in unmatched {
            let key = u.code ?? ""
            if byRegion[key] == nil {
                order.append(key)
                let label = u.code.map { "\(u.name ?? $0) (\($0))" } ?? "Hele landet"
                byRegion[key] = (label, u.reason, [])
            }
            if let target = u.target { byRegion[key]?.targets.append(target) }
        }
        guard !order.isEmpty else { return "" }
        let regions = order.compactMap { byRegion[$0] }
        let items = regions.map { r in "<li>\(HTML.escape(r.label)): \(HTML.escape(reasonText(r.reason, targets: r.targets)))</li>" }.joined()
        let first = regions.prefix(3).map { HTML.escape($0.label) }.joined(separator: ", ") + (regions.count > 3 ? " …" : "")
        return "<details id=\"unmatched\" data-count=\"\(regions.count)\"><summary>\(regions.count) \(regions.count == 1 ? "region er" : "regioner er") ikke tegnet: \(first)</summary><ul>\(items)</ul></details>"
    }

    static func reasonText(_ reason: String, targets: [String]) -> String {
        let into = targets.joined(separator: ", ")
        switch UnmatchedReason(rawValue: reason) {
        case .country: return "hele landet, vist i panelet"
        case .county: return "fylke"
        case .notAKommune: return "ikke en kommune"
        case .split: return "kommunen ble delt (\(into)); verdien kan ikke fordeles"
        case .mergedNotSummable: return "slått sammen til \(into); verdien kan ikke summeres"
        case .mergerIncomplete: return "slått sammen til \(into); en av kommunene mangler verdi"
        case nil: return reason == "no_population" ? "mangler folketall" : reason
        }
    }

    /// Upper bounds of each class but the last, so each class holds about as many kommuner.
    static func quantileBreaks(_ values: [Double], classes: Int) -> [Double] {
        let sorted = values.sorted()
        guard sorted.count > 1 else { return [] }
        var breaks: [Double] = []
        for i in 1..<classes {
            let b = sorted[min(sorted.count - 1, i * sorted.count / classes)]
            if breaks.last != b { breaks.append(b) }
        }
        return breaks
    }

    static func bin(_ v: Double, _ breaks: [Double]) -> Int {
        min(palette.count - 1, breaks.firstIndex { v < $0 } ?? breaks.count)
    }

    /// Hover and click fill the side panel (name, value, share of the national value); changing a selector submits.
    static let script = """
        (function(){var p=document.getElementById('panel'),nat=parseFloat(p.dataset.national),sel=null;
        function fmt(v){return v.toLocaleString('nb-NO',{maximumFractionDigits:1})}
        function show(e){var t=e.target;if(!t.classList||!t.classList.contains('k'))return;
        document.getElementById('p-name').textContent=t.dataset.n+' ('+t.dataset.k+')';
        var v=parseFloat(t.dataset.v);
        document.getElementById('p-value').textContent=isNaN(v)?'Ingen data':fmt(v);
        document.getElementById('p-share').textContent=(isNaN(v)||isNaN(nat)||!nat)?'':'Andel av landet: '+fmt(100*v/nat)+' %';}
        var m=document.getElementById('map');m.addEventListener('mouseover',show);
        m.addEventListener('click',function(e){if(sel)sel.classList.remove('sel');sel=e.target;if(sel.classList)sel.classList.add('sel');show(e);});
        document.querySelectorAll('#mapform select').forEach(function(s){s.addEventListener('change',function(){s.form.submit()})});})();
        """
}

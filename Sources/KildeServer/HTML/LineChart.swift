/// A time-series chart as inline SVG: one `<polyline class="series">` per series over a shared period axis.
struct LineChart {
    struct Series {
        var label: String
        var values: [String: Double]
    }

    var periods: [String]
    var series: [Series]

    static let colors = ["#2a7ab0", "#d9480f", "#2f9e44", "#9c36b5", "#e8590c", "#1098ad", "#c2255c", "#5c940d", "#364fc7", "#868e96"]

    func svg() -> String {
        let w = 760.0, h = 320.0, left = 64.0, right = 16.0, top = 16.0, bottom = 40.0
        let maxValue = max(1, series.flatMap { $0.values.values }.max() ?? 1)
        let step = periods.count > 1 ? (w - left - right) / Double(periods.count - 1) : 0
        func x(_ i: Int) -> Double { periods.count > 1 ? left + Double(i) * step : (w + left - right) / 2 }
        func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - v / maxValue) }
        var out = "<svg class=\"chart\" id=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"Tidsserie\">"
        for t in 0...4 {
            let v = maxValue * Double(t) / 4
            out += "<line x1=\"\(left)\" x2=\"\(w - right)\" y1=\"\(fmt(y(v)))\" y2=\"\(fmt(y(v)))\" stroke=\"#e3e7ec\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(fmt(y(v) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#4a5663\">\(HTML.number(v))</text>"
        }
        let labelEvery = max(1, periods.count / 10)
        for (i, p) in periods.enumerated() where i % labelEvery == 0 || i == periods.count - 1 {
            out += "<text x=\"\(fmt(x(i)))\" y=\"\(h - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#4a5663\">\(HTML.escape(p))</text>"
        }
        for (n, s) in series.enumerated() {
            let color = Self.colors[n % Self.colors.count]
            let points = periods.enumerated().compactMap { i, p in s.values[p].map { "\(fmt(x(i))),\(fmt(y($0)))" } }
            out += "<polyline class=\"series\" data-series=\"\(HTML.escape(s.label))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\" points=\"\(points.joined(separator: " "))\"><title>\(HTML.escape(s.label))</title></polyline>"
            for (i, p) in periods.enumerated() { if let v = s.values[p] { out += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(v)))\" r=\"3\" fill=\"\(color)\"><title>\(HTML.escape(s.label)) \(HTML.escape(p)): \(HTML.number(v))</title></circle>" } }
        }
        out += "</svg><div class=\"legend\">"
        for (n, s) in series.enumerated() {
            out += "<span><i class=\"sw\" style=\"background:\(Self.colors[n % Self.colors.count])\"></i>\(HTML.escape(s.label))</span>"
        }
        return out + "</div>"
    }

    func fmt(_ v: Double) -> String { String(Double(Int((v * 10).rounded())) / 10) }
}

import Foundation

/// A posted WebForms body (`application/x-www-form-urlencoded`) and the query it asks for, checked as ASP.NET's
/// event validation checks it: every value must be one the form offered.
struct BRASKFormBody {
    var fields: [(name: String, value: String)]

    func first(_ name: String) -> String? { fields.first { $0.name == name }?.value }
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    static func decode(_ bytes: [UInt8]) -> BRASKFormBody {
        func unescape(_ s: Substring) -> String {
            let spaced = s.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return BRASKFormBody(fields: text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (unescape(kv[0]), kv.count > 1 ? unescape(kv[1]) : "")
        })
    }

    /// The query, or the refusal ASP.NET's event validation gives for a value the form did not offer.
    static func query(_ body: BRASKFormBody, offeredYears: ClosedRange<Int>) -> Result<BRASKQuery, BRASKRejection> {
        func refuse(_ why: String) -> Result<BRASKQuery, BRASKRejection> { .failure(.eventValidation(why)) }
        func dimension(_ id: String, default d: BRASKVocabulary.Dimension) -> BRASKVocabulary.Dimension? {
            let values = body.all("ctl00$Innhold$\(id)")
            guard let v = values.first else { return d }
            return values.count == 1 ? BRASKVocabulary.Dimension(rawValue: v) : nil
        }
        guard let row = dimension("ddlRad", default: .cause) else { return refuse("ddlRad is not one of the offered dimensions") }
        guard let column = dimension("ddlKolonne", default: .year) else { return refuse("ddlKolonne is not one of the offered dimensions") }
        var query = BRASKQuery(row: row, column: column)
        let offered: [BRASKVocabulary.Dimension: [BRASKVocabulary.Option]] = [
            .year: offeredYears.map { BRASKVocabulary.Option(value: String($0), label: String($0), weight: 1) },
            .month: BRASKVocabulary.months, .fireType: BRASKVocabulary.fireTypes, .sector: BRASKVocabulary.sectors,
            .buildingAge: BRASKVocabulary.buildingAges,
        ]
        for (d, options) in offered {
            guard let id = d.listBox else { continue }
            let values = body.all("ctl00$Innhold$\(id)")
            if values.isEmpty { continue }
            let allowed = Set(options.map(\.value))
            if let bad = values.first(where: { !allowed.contains($0) }) { return refuse("'\(bad)' is not an option of \(id)") }
            query.filters[d] = Set(values)
        }
        let metric = body.all("ctl00$Innhold$rblVerdi")
        guard metric.count <= 1, metric.allSatisfy({ $0 == "1" || $0 == "2" }) else { return refuse("rblVerdi is not 1 or 2") }
        query.metric = metric.first ?? "1"
        return .success(query)
    }
}

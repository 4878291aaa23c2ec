import KildeStore

extension API.Facts {
    /// The response body, written by ``JSONWriter`` (the same members and names as the `Codable` form, which the
    /// OpenAPI schema describes).
    func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + rows.count * 120)
        w.beginObject()
        w.key("attribution"); w.string(attribution)
        w.key("dataset"); w.string(dataset)
        w.key("demo"); w.bool(demo)
        w.key("dimCode"); w.int(dimCode)
        w.key("granularity"); w.string(granularity)
        w.key("metric"); w.string(metric)
        w.key("query"); w.beginObject()
        if let categories = query.categories { w.key("categories"); w.beginArray(); categories.forEach { w.int($0) }; w.endArray() }
        w.key("filters"); w.beginObject()
        for (axis, ids) in query.filters.sorted(by: { $0.key < $1.key }) { w.key(data: axis); w.beginArray(); ids.forEach { w.int($0) }; w.endArray() }
        w.endObject()
        if let years = query.years { w.key("years"); w.beginObject(); w.key("first"); w.int(years.first); w.key("last"); w.int(years.last); w.endObject() }
        w.endObject()
        w.key("rows"); w.beginArray()
        // A few hundred rows repeat a handful of categories and filter values: each is encoded once, a category
        // together with the members before `period` that it decides.
        var head: (code: Int, json: [UInt8])?
        var refs: [Int: [UInt8]] = [:]
        var last: (id: Int, json: [UInt8])?
        func filter(_ name: StaticString, _ ref: FilterValue?) {
            guard let ref else { return }
            w.key(name)
            if let last, last.id == ref.id { w.raw(last.json); return }
            let json = refs[ref.id] ?? JSONWriter.fragment { f in
                f.beginObject(); f.key("code"); f.string(ref.code); f.key("id"); f.int(ref.id); f.key("name"); f.string(ref.name); f.endObject()
            }
            refs[ref.id] = json
            last = (ref.id, json)
            w.raw(json)
        }
        for r in rows {
            w.beginObject()
            if head?.code != r.catCode {
                // Without its opening brace: `beginObject()` above wrote it.
                head = (r.catCode, Array(JSONWriter.fragment { f in
                    f.beginObject(); f.key("catCode"); f.int(r.catCode); f.key("category"); f.string(r.category); f.key("period")
                }.dropFirst()))
            }
            w.rawMembers(head?.json ?? [])
            w.string(r.period)
            filter("buildingAge", r.filters.buildingAge)
            filter("buildingType", r.filters.buildingType)
            filter("fireType", r.filters.fireType)
            filter("region", r.filters.region)
            w.key("value"); w.number(r.value)
            w.endObject()
        }
        w.endArray()
        w.key("source"); w.string(source)
        if let totals {
            w.key("totals"); w.beginObject()
            if let byCategory = totals.byCategory {
                w.key("byCategory"); w.beginArray()
                for t in byCategory { w.beginObject(); w.key("catCode"); w.int(t.catCode); w.key("category"); w.string(t.category); w.key("value"); w.number(t.value); w.endObject() }
                w.endArray()
            }
            if let byPeriod = totals.byPeriod {
                w.key("byPeriod"); w.beginArray()
                for t in byPeriod { w.beginObject(); w.key("period"); w.string(t.period); w.key("value"); w.number(t.value); w.endObject() }
                w.endArray()
            }
            w.endObject()
        }
        w.key("truncated"); w.bool(truncated)
        w.endObject()
        return w.bytes
    }
}

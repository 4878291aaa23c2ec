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
        for (axis, ids) in query.filters.sorted(by: { $0.key < $1.key }) { w.key(axis); w.beginArray(); ids.forEach { w.int($0) }; w.endArray() }
        w.endObject()
        if let years = query.years { w.key("years"); w.beginObject(); w.key("first"); w.int(years.first); w.key("last"); w.int(years.last); w.endObject() }
        w.endObject()
        w.key("rows"); w.beginArray()
        for r in rows {
            w.beginObject()
            w.key("catCode"); w.int(r.catCode)
            w.key("category"); w.string(r.category)
            w.key("period"); w.string(r.period)
            for (name, ref) in [("buildingAge", r.buildingAge), ("buildingType", r.buildingType), ("fireType", r.fireType), ("region", r.region)] {
                guard let ref else { continue }
                w.key(name); w.beginObject(); w.key("code"); w.string(ref.code); w.key("id"); w.int(ref.id); w.key("name"); w.string(ref.name); w.endObject()
            }
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

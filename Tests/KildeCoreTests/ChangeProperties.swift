import KildeCore
import PropertyBased
import Testing

/// Properties of the pure change detection (SPEC §4) over random previous and new states: the row classifier is
/// checked against a model (applying its plan to the stored state must give exactly the new state), and the gates
/// against what they promise.
@Suite("Change detection properties")
struct ChangeProperties {
    /// A small key space, so random stored and new states overlap: 3 categories × 4 years × (national + 2 regions).
    static func key(_ n: Int) -> FactKey {
        FactKey(sourceID: 1, dimCode: 1, catCode: n % 3, period: .year(2020 + (n / 3) % 4), region: [nil, 10, 11][(n / 12) % 3])
    }

    /// Metric values drawn from a few, so equal values (identical rows) are common; `nil` for an absent metric.
    static let amount = Gen.element(of: [nil, 0.0, 1.0, 2.5, 7.0, 100.0] as [Double?]).map { $0.flatMap { $0 } }

    /// A state: key number → (value, value_kr).
    static let state = zip(Gen.int(in: 0..<36), zip(amount, amount)).array(of: 0...36)

    static func stored(_ entries: [(Int, (Double?, Double?))]) -> [FactKey: StoredMetrics] {
        var out: [FactKey: StoredMetrics] = [:]
        for (n, (v, kr)) in entries where v != nil || kr != nil { out[key(n)] = StoredMetrics(value: v, valueKr: kr) }
        return out
    }

    static func upstream(_ entries: [(Int, (Double?, Double?))], metric: Metric) -> [Fact] {
        var seen = Set<FactKey>()
        var out: [Fact] = []
        for (n, (v, kr)) in entries {
            let k = key(n)
            let m = metric == .value ? v : kr
            guard let m, seen.insert(k).inserted else { continue }
            out.append(metric == .value ? Fact(key: k, value: m) : Fact(key: k, valueKr: m))
        }
        return out
    }

    @Test("counters add up, only changed rows are written, and applying the plan gives exactly the upstream's state")
    func classificationIsExact() async {
        await propertyCheck(count: 400, input: Self.state, Self.state, Gen.bool, Gen.element(of: [nil, [2020, 2021], [2023]] as [Set<Int>?]).map { $0.flatMap { $0 } }) { before, after, isValue, years in
            let metric: Metric = isValue ? .value : .valueKr
            let existing = Self.stored(before)
            // A pass writes only the periods it covers: the upstream rows of other years are not in it.
            let rows = Self.upstream(after, metric: metric).filter { years?.contains($0.key.period.year) ?? true }
            let c = RowClassifier.classify(rows: rows, existing: existing, metric: metric, years: years)

            #expect(c.added + c.updated + c.identical == rows.count)
            #expect(c.toWrite.count == c.added + c.updated)
            #expect(c.deleted == c.toDelete.count + c.toClear.count)
            #expect(Set(c.toDelete).isDisjoint(with: c.toClear))

            // The model: apply the plan the way the writer does.
            var applied = existing
            for row in c.toWrite {
                var m = applied[row.key] ?? StoredMetrics(value: nil, valueKr: nil)
                if metric == .value { m.value = row.value } else { m.valueKr = row.valueKr }
                applied[row.key] = m
            }
            for k in c.toDelete { applied[k] = nil }
            for k in c.toClear {
                if metric == .value { applied[k]?.value = nil } else { applied[k]?.valueKr = nil }
            }
            let wanted = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.metric(metric)) })
            func compared(_ m: StoredMetrics?) -> Double? { metric == .value ? m?.value : m?.valueKr }
            func other(_ m: StoredMetrics?) -> Double? { metric == .value ? m?.valueKr : m?.value }
            for k in Set(existing.keys).union(wanted.keys) {
                let written = years?.contains(k.period.year) ?? true
                // In the written periods the compared metric is the upstream's (absent when upstream has no row);
                // outside them it is untouched. The other metric is never touched.
                let expected = written ? (wanted[k] ?? nil) : compared(existing[k])
                #expect(compared(applied[k]) == expected, "\(k)")
                #expect(other(applied[k]) == other(existing[k]), "\(k): the other metric is never touched")
                if let m = applied[k] { #expect(m.value != nil || m.valueKr != nil, "\(k): no row is left with no metric") }
            }
        }
    }

    /// Totals of a state's `value`s per year.
    static func totals(_ entries: [(Int, (Double?, Double?))]) -> SliceTotals {
        SliceTotals(facts: upstream(entries, metric: .value), metric: .value)
    }

    @Test("the gates: equal histories skip; an empty store writes all; otherwise exactly the years whose sums differ")
    func gatesDecideFromTheSums() async {
        await propertyCheck(count: 400, input: Self.state, Self.state) { before, after in
            let stored = Self.totals(before)
            let upstream = Self.totals(after)
            #expect(abs(upstream.byYear.values.reduce(0, +) - upstream.total) < 1e-9, "the years sum to the total")
            #expect(ChangeGate.decide(upstream: upstream, stored: upstream) == .skip || upstream.total == 0)
            switch ChangeGate.decide(upstream: upstream, stored: stored) {
            case .skip:
                #expect(ChangeGate.changedYears(upstream: upstream, stored: stored).isEmpty || stored.total == 0)
            case .writeAll:
                #expect(stored.total == 0)
            case .writeYears(let years):
                #expect(!years.isEmpty)
                #expect(years == ChangeGate.changedYears(upstream: upstream, stored: stored))
                // Writing those years makes the store equal upstream year by year: the next run skips.
                var next = stored
                for y in years { next.byYear[y] = upstream.byYear[y] }
                next.byYear = next.byYear.filter { $0.value != 0 || upstream.byYear[$0.key] != nil }
                next.total = next.byYear.values.reduce(0, +)
                #expect(ChangeGate.decide(upstream: upstream, stored: next) == .skip || next.total == 0)
            }
        }
    }
}

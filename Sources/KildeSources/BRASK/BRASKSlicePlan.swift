import KildeCore

/// The default slices of a BRASK dataset, countable before they run (SPEC §6, seed 001): for each metric pass
/// (`value`, then `value_kr`, on the same keys), the full joint distribution of the form's filters — every fire type
/// × every næring × every bygningsalder bracket the catalogue has for the dimension, one value each, so every cell
/// carries one filter id per axis. With the simulated form's 2 × 23 × 13 that is 598 slices per metric and window;
/// a run narrowed to næring `0` (Beboelse) is 2 × 1 × 13 = 26.
///
/// An axis whose filters do not apply to the dimension is not crossed (NULL): Bygningsalder as its own dimension
/// (dim 6, the marginal distribution) is its rows, not a filter, so its plan is 2 × 23 per metric. "All" is never a
/// slice of its own: the upstream total of an axis is derivable from its leaves on read.
///
/// No window: a yearly post without years answers every year BRASK has, and the gates write only what changed.
/// A daily slice's window (from the run's selection) bounds the daily gates; without one they cover every year the
/// yearly facts have.
struct BRASKSlicePlan {
    let adapter: BRASKAdapter

    func slices() throws(IngestError) -> [Slice] {
        let ds = adapter.dataset
        let axes = FilterAxis.allCases.filter { adapter.controls.axes[$0] != nil }
        let combinations = adapter.registry.crossProduct(source: ds.sourceID, dim: ds.dimCode, axes: axes)
        return adapter.metrics.flatMap { metric in
            combinations.map { Slice(dataset: ds.key, dimCode: ds.dimCode, metric: metric, filters: $0, years: nil, table: FactTable(ds.grain)) }
        }
    }
}

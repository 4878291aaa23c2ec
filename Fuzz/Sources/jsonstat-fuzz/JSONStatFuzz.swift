import KildeJSONStat

/// One fuzz input: any bytes as a JSON-stat document, decoded and walked the way `kilde decode` and the
/// PxWeb transform walk it. A thrown ``JSONStatError`` is the expected answer to junk; a crash, a hang, a sanitizer
/// report or a broken invariant below is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func jsonStatFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var options = JSONStatDecodingOptions()
    // A declared cube may be huge while the document is small; iterating every cell of it is not the decoder's
    // cost, so the walk below visits present cells only and the limit keeps `includingMissing` walks bounded.
    options.maximumCellCount = 1 << 16
    guard let document = try? JSONStat.decode(UnsafeRawBufferPointer(start: data, count: size), options: options) else { return 0 }
    for dataset in document.datasets {
        precondition(dataset.dimensions.count == dataset.sizes.count, "one size per listed dimension")
        var visited = 0
        dataset.forEachCellValue { flat, indices, value, status in
            // The coordinates handed to the body invert back to the flat index, and name real categories.
            precondition(flat >= 0 && flat < dataset.cellCount, "flat index \(flat) outside the cube")
            precondition(dataset.indices(ofFlat: flat) == Array(indices), "index inversion at \(flat)")
            precondition(dataset.flatIndex(Array(indices)) == flat, "flat index round trip at \(flat)")
            precondition(value != nil || status != nil, "a present cell has a value or a status")
            _ = dataset.describeCell(at: flat)
            visited += 1
        }
        precondition(visited <= dataset.cellCount, "more cells visited than the cube holds")
        _ = try? dataset.requireNumericValues()
        if dataset.cellCount <= 1 << 12 {
            dataset.forEachCellValue(includingMissing: true) { _, _, _, _ in }
        }
    }
    return 0
}

import KildeSources

/// One fuzz input: any bytes as a BRASK page, through every reader an adapter uses. A crash, a hang or a
/// sanitizer report is a bug; a thrown ``BRASKPageError`` is the expected answer to junk.
@_cdecl("LLVMFuzzerTestOneInput")
public func braskPageFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let pivot = try? BRASKResultPage.parse(bytes) {
        // Touch what an adapter reads, so a pivot that is inconsistent inside fails here, not later.
        precondition(pivot.values.count == pivot.rowLabels.count && pivot.rowSums.count == pivot.rowLabels.count)
        precondition(pivot.values.allSatisfy { $0.count == pivot.columnLabels.count } && pivot.columnSums.count == pivot.columnLabels.count)
        _ = pivot.cells
    }
    _ = try? BRASKResultPage.parse(bytes, columns: .days)
    if let form = try? BRASKForm.parse(bytes) {
        _ = try? form.submission(["ddlRad": ["arsak"], "ddlKolonne": ["dag"], "lbAar": ["2024"], "rblVerdi": ["1"]])
    }
    return 0
}

// BRASK page parsing: Kilde's parser (libxml2 through KildeHTML, then the pivot) on a simulator result page.
//
//   brask-bench page OUT            serve the simulator on loopback, GET the form, post causes × 31 days
//                                   (January 2024, all causes, counts) and save the result page to OUT
//   brask-bench time FILE N         parse FILE N times; one JSON line with the median and the cells seen
//   brask-bench seeds DIR           save the fuzzer's seed pages (Fuzz/corpus/brask-page)
//
// See brask-parse.sh, which runs both and compares with pandas.read_html on the same bytes.
import Foundation
import KildeCatalog
import KildeCore
import KildeSimulator
import KildeSources
import KildeUpstream

let arguments = CommandLine.arguments
switch (arguments.count > 1 ? arguments[1] : "", arguments.count) {
case ("page", 3):
    try await SavePage.run(to: arguments[2])
case ("seeds", 3):
    try await SavePage.seeds(into: arguments[2])
case ("time", 4):
    guard let n = Int(arguments[3]), n > 0 else { fatalError("N must be a positive number") }
    try ParseTiming.run(file: arguments[2], iterations: n)
default:
    FileHandle.standardError.write(Data("usage: brask-bench page OUT | brask-bench time FILE N | brask-bench seeds DIR\n".utf8))
    exit(2)
}

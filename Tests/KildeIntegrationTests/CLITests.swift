import Foundation
import KildeTestSupport
import KildeCatalog
import KildeCore
import KildeIngest
import KildeStore
import Testing

/// The `kilde` executable, driven as a user would, against the simulator over loopback.
@Suite("CLI", .serialized)
struct CLITests {
    @Test func upDemoIngestsLabelsAndQueries() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let home = env.directory.appendingPathComponent("home").path
            let up = try await CLIProcess.run(["up", "--demo", "--no-serve"], environment: ["KILDE_HOME": home])
            #expect(up.status == 0, "\(up.stderr)")
            #expect(up.stdout.contains("DEMO DATA"))
            #expect(up.stdout.contains("ssb-12058"))
            #expect(up.stdout.contains("Kilde: Statistisk sentralbyrå, tabell 08764"))
            #expect(FileManager.default.fileExists(atPath: home + "/kilde-demo.sqlite"))
            #expect(!FileManager.default.fileExists(atPath: home + "/kilde.sqlite"), "demo data never goes into the real store")

            let q = try await CLIProcess.run(["query", "ssb-12058", "--demo", "--filter", "region=0301", "--filter", "building_type=RESIDENTIAL", "--years", "2020-2024", "--format", "csv"],
                                             environment: ["KILDE_HOME": home])
            #expect(q.status == 0, "\(q.stderr)")
            let lines = q.stdout.split(separator: "\n")
            #expect(lines.first == "source,dim,cat,category,year,building_type,region_code,region,value,value_kr")
            #expect(lines.count == 1 + 5)
            let expected = try env.upstreamCells(Slice(dataset: "ssb-12058", dimCode: 5, filters: [.buildingType: [64], .region: [50301]], years: YearWindow(first: 2020, last: 2024)), revised: false)
            for line in lines.dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(Double(f[8]) == expected["0301|KOSboligbranner0000|\(f[4])"], "\(line)")
            }

            let runs = try await CLIProcess.run(["runs", "--demo", "--json"], environment: ["KILDE_HOME": home])
            #expect(runs.status == 0)
            #expect(runs.stdout.contains("\"status\":\"complete\""))
        }
    }

    @Test func ingestAgainstSimulatorAndExitCodes() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let store = "sqlite:" + env.directory.appendingPathComponent("cli.sqlite").path
            let ok = try await CLIProcess.run(["ingest", "ssb-08764", "--store", store, "--ssb-url", env.sim.baseURL, "--rate-limit", "6000", "--json"])
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("\"status\":\"complete\""))
            let unknown = try await CLIProcess.run(["ingest", "nope", "--store", store, "--ssb-url", env.sim.baseURL])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("nope"))
            let badStore = try await CLIProcess.run(["runs", "--store", "mysql://x"])
            #expect(badStore.status == 2)
            #expect(badStore.stderr.contains("unknown store"))
            #expect(!badStore.stderr.contains("Fatal error"))
            await env.state.inject(.malformed, times: 1)
            let failed = try await CLIProcess.run(["ingest", "ssb-08764", "--store", store, "--ssb-url", env.sim.baseURL, "--rate-limit", "6000"])
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("FAILED"))
        }
    }

    @Test func ingestTakesTheQueryFilterSelection() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let store = "sqlite:" + env.directory.appendingPathComponent("cli.sqlite").path
            let base = ["--store", store, "--ssb-url", env.sim.baseURL, "--rate-limit", "6000"]
            let ok = try await CLIProcess.run(["ingest", "ssb-12058", "--filter", "region=0301", "--years", "2023", "--json"] + base)
            #expect(ok.status == 0, "\(ok.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any]
            let slices = (report?["slices"] as? [[String: Any]] ?? []).compactMap { $0["slice_key"] as? String }
            #expect(slices == ["ssb-12058 dim 5 building_type=64 region=50301 2023–2023", "ssb-12058 dim 5 region=50301 2023–2023"])
            #expect(await env.state.dataRequests["12058"] == 1, "the two slices share one request")
            let unknown = try await CLIProcess.run(["ingest", "ssb-12058", "--filter", "region=9998"] + base)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no region filter matches '9998'"), "\(unknown.stderr)")
            let inapplicable = try await CLIProcess.run(["ingest", "ssb-08764", "--filter", "region=EKA03"] + base)
            #expect(inapplicable.status == 2)
            #expect(inapplicable.stderr.contains("does not apply to dimension 100"), "\(inapplicable.stderr)")
        }
    }

    /// A PxWeb table added by `kilde add pxweb` alone is ingested, and `kilde catalog --check` finds what the
    /// upstream no longer offers.
    @Test func addAPxWebTableThenCheckTheCatalogue() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let dir = env.directory.appendingPathComponent("my-catalog")
            let sim = ["--sim-url", env.sim.baseURL, "--rate-limit", "6000"]
            let nowhere = try await CLIProcess.run(["add", "pxweb", "05300", "--category", "Avstand1"] + sim)
            #expect(nowhere.status == 2)
            #expect(nowhere.stderr.contains("pass --catalog DIR"), "\(nowhere.stderr)")
            let added = try await CLIProcess.run(["add", "pxweb", "05300", "--category", "Avstand1", "--catalog", dir.path] + sim)
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("Added dataset ssb-05300"), "\(added.stdout)")
            #expect(added.stdout.contains("review: held Kulturtilbud at '01'"), "\(added.stdout)")
            let store = "sqlite:" + env.directory.appendingPathComponent("added.sqlite").path
            let ingested = try await CLIProcess.run(["ingest", "ssb-05300", "--catalog", dir.path, "--store", store, "--json"] + sim)
            #expect(ingested.status == 0, "\(ingested.stderr)")
            #expect(ingested.stdout.contains("\"rows_added\":51"), "\(ingested.stdout)")

            let checked = try await CLIProcess.run(["catalog", "--check", "--catalog", dir.path] + sim)
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
            #expect(checked.stdout.contains("ssb-05300: ok") && checked.stdout.contains("scb-TAB6471: ok"), "\(checked.stdout)")
            // A category the live table no longer offers is a problem, named with the codes on offer.
            let categories = dir.appendingPathComponent("categories.csv")
            try (try String(contentsOf: categories, encoding: .utf8) + "5,5,503,KOSukjent0000,Ukjent,Ukjent,,3,false,count,false\n")
                .write(to: categories, atomically: true, encoding: .utf8)
            let broken = try await CLIProcess.run(["catalog", "--check", "--catalog", dir.path] + sim)
            #expect(broken.status == 1)
            #expect(broken.stdout.contains("ssb-12058: PROBLEM"), "\(broken.stdout)")
            #expect(broken.stdout.contains("ContentsCode 'KOSukjent0000' (cat 503, unverified) is not offered by table 12058"), "\(broken.stdout)")
            // An upstream that cannot be reached is said, not a problem; --offline asks none.
            let unreachable = try await CLIProcess.run(["catalog", "--check", "--sim-url", env.sim.baseURL, "--ssb-url", "http://127.0.0.1:9"])
            #expect(unreachable.status == 0, "\(unreachable.stdout)")
            #expect(unreachable.stdout.contains("ssb-08764: not checked online"), "\(unreachable.stdout)")
            let offline = try await CLIProcess.run(["catalog", "--check", "--offline"])
            #expect(offline.status == 0)
            #expect(offline.stdout.contains("not checked online (not asked (--offline))"))
        }
    }

    @Test func decodePrintsAFlatTable() async throws {
        let fixture = FixturePaths.shared.appendingPathComponent("fixtures/ssb/pxwebpy-07221/response_no.json").path
        let out = try await CLIProcess.run(["decode", fixture, "--ids", "--format", "csv"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.first == "Region,Boligtype,ContentsCode,Tid,value,status")
        #expect(lines.count == 1 + 288)
        #expect(lines.filter { $0.hasSuffix(",..") }.count == 24, "suppressed cells print with their status and no value")
        let labels = try await CLIProcess.run(["decode", fixture, "--limit", "3"])
        #expect(labels.stdout.contains("Hele landet"))
        let bad = try await CLIProcess.run(["decode", FixturePaths.shared.appendingPathComponent("fixtures/jsonstat/rjstat/notjsonstat.json").path])
        #expect(bad.status == 2)
    }

    /// A probe document for `kilde decode`, the arguments, and what stdout and stderr must show.
    struct DecodeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var arguments: [String]
        /// The number of stdout lines (header included), when checked.
        var lines: Int?
        var stdout: [String] = []
        var stderr: [String] = []
        var testDescription: String { name }
    }

    /// One dimension `x` with categories c0…c(n-1).
    static func decodeDocument(value: String, cells n: Int = 4) -> String {
        let index = (0..<n).map { "\"c\($0)\"" }.joined(separator: ",")
        return #"{"version":"2.0","class":"dataset","id":["x"],"size":[\#(n)],"dimension":{"x":{"category":{"index":[\#(index)]}}},"value":\#(value)}"#
    }

    /// 100,000³ = 10¹⁵ cells, three of them in a sparse value.
    static let hugeSparse: String = {
        let index = "[" + (0..<100_000).map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let dimension = #"{"category":{"index":\#(index)}}"#
        return #"{"version":"2.0","class":"dataset","id":["a","b","c"],"size":[100000,100000,100000],"#
            + #""dimension":{"a":\#(dimension),"b":\#(dimension),"c":\#(dimension)},"#
            + #""value":{"999999999999999":3,"7":1,"123456789012":2}}"#
    }()

    static let decodeCases: [DecodeCase] = [
        DecodeCase(name: "a huge sparse cube stops after --limit rows", document: hugeSparse,
                   arguments: ["--ids", "--format", "csv", "--limit", "2"], lines: 3,
                   stdout: ["a,b,c,value,status\n0,0,7,1,\n12,34567,89012,2,\n"]),
        DecodeCase(name: "a huge sparse cube prints only its cells", document: hugeSparse,
                   arguments: ["--ids", "--format", "csv"], lines: 4, stdout: ["99999,99999,99999,3,"]),
        DecodeCase(name: "string values print as they are", document: decodeDocument(value: #"["x",1.5,null,"y\"z"]"#),
                   arguments: ["--ids", "--format", "csv"], lines: 4, stdout: ["c0,x,\n", "c1,1.5,\n", #"c3,"y""z","#]),
        DecodeCase(name: "string values in JSON", document: decodeDocument(value: #"{"0":"x","3":7}"#),
                   arguments: ["--ids", "--format", "json"], lines: 2,
                   stdout: [#"[{"x":"c0","value":"x","status":null},"#, #" {"x":"c3","value":7,"status":null}]"#]),
        DecodeCase(name: "--all-cells adds the missing cells", document: decodeDocument(value: #"["x",1.5,null,"y"]"#),
                   arguments: ["--ids", "--format", "csv", "--all-cells"], lines: 5, stdout: ["c2,,\n"]),
        DecodeCase(name: "an unlisted dimension is a note, not a column",
                   document: #"{"version":"2.0","class":"dataset","role":{"metric":["ContentsCode"]},"id":["Tid"],"size":[2],"#
                       + #""dimension":{"ContentsCode":{"label":"statistikkvariabel","category":{"index":["Branner"],"#
                       + #""label":{"Branner":"Branner i alt"}}},"Tid":{"category":{"index":["2022","2023"]}}},"value":[5,6]}"#,
                   arguments: ["--ids", "--format", "csv"], lines: 3, stdout: ["Tid,value,status\n2022,5,\n2023,6,\n"],
                   stderr: [#"note: dimension 'ContentsCode' (statistikkvariabel) is not listed in 'id' and is not a column (1 category: Branner "Branner i alt")"#]),
        DecodeCase(name: "numbers beyond a Double are named on stderr", document: decodeDocument(value: "[1e400,-1e400,2,null]"),
                   arguments: ["--ids", "--format", "csv"], lines: 4, stdout: ["c0,inf,\n", "c1,-inf,\n"],
                   stderr: ["warning: cell 0 (x=c0): the number is beyond the range of a Double and decodes as inf",
                            "warning: cell 1 (x=c1): the number is beyond the range of a Double and decodes as -inf"]),
        DecodeCase(name: "infinity in JSON is a string", document: decodeDocument(value: "[1e400,1,2,3]"),
                   arguments: ["--ids", "--format", "json", "--limit", "1"], lines: 1,
                   stdout: [#"[{"x":"c0","value":"inf","status":null}]"#], stderr: ["decodes as inf"]),
    ]

    @Test(arguments: decodeCases)
    func decodeProbe(_ testCase: DecodeCase) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kilde-decode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("document.json")
        try Data(testCase.document.utf8).write(to: file)
        let out = try await CLIProcess.run(["decode", file.path] + testCase.arguments)
        #expect(out.status == 0, "\(out.stderr)")
        if let lines = testCase.lines { #expect(out.stdout.split(separator: "\n").count == lines, "\(out.stdout)") }
        for fragment in testCase.stdout { #expect(out.stdout.contains(fragment), "stdout lacks \(fragment): \(out.stdout)") }
        for fragment in testCase.stderr { #expect(out.stderr.contains(fragment), "stderr lacks \(fragment): \(out.stderr)") }
        if testCase.stderr.isEmpty { #expect(out.stderr.isEmpty, "\(out.stderr)") }
    }

    @Test func killedMidSliceLeavesNoPartialSliceAndTheNextRunCompletes() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            // A catalogue whose SSB host takes 2,000 cells a request: each slice asks its own requests, the regional ones
            // in two parts (3,720 cells). Slice 1 answers, slice 2's first part answers, its second hangs: kill then.
            let catalog = try Self.catalogue(in: env.directory, sourceOptions: "api=v2;language=no;cell_limit=2000;url_limit=2000")
            await env.state.inject(.pass, times: 2)
            await env.state.inject(.slow(.seconds(60)), times: 1)
            let p = Process()
            p.executableURL = try CLIProcess.executable
            p.arguments = ["ingest", "ssb-12058", "--store", "sqlite:" + env.storePath, "--ssb-url", env.sim.baseURL, "--rate-limit", "6000",
                           "--catalog", catalog.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let exited = CLIProcess.exitStatus(of: p)
            try p.run()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(60)
            while await (env.state.dataRequests["12058"] ?? 0) < 3, clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(await env.state.dataRequests["12058"] == 3)
            kill(p.processIdentifier, SIGKILL)
            #expect(await exited.value == SIGKILL)

            let runs = try await env.store.runs(limit: 5)
            #expect(runs.first?.status == .running, "the killed run never finished")
            #expect(runs.first?.slicesDone == 1)
            // Slice 1 is complete; slice 2 (half fetched) and slices 3–4 have nothing: no partial slice.
            let planned = try await env.pipeline.run(dataset: "ssb-12058")
            #expect(planned.status == .complete, "the next run retires the dead run and completes")
            for (i, s) in planned.slices.enumerated() {
                let upstream = try env.upstreamCells(s.slice, revised: false)
                if i < 1 {
                    #expect(s.outcome == .unchanged, "slice \(i) was committed before the kill")
                } else {
                    #expect(s.counters.added == upstream.count, "slice \(i) had no rows: all are added now")
                }
                #expect(try await env.storedSum(s.slice) == upstream.values.reduce(0, +))
            }
            let retired = try #require(try await env.store.run(id: runs[0].id))
            #expect(retired.status == .error)
            #expect(retired.errorMessage?.contains("abandoned") == true)
        }
    }
}

extension CLITests {
    /// A copy of the shipped catalogue in `directory` with the SSB source's options replaced: sources as data.
    static func catalogue(in directory: URL, sourceOptions: String) throws -> URL {
        let shipped = try #require(BundledCatalog.directory)
        let dir = directory.appendingPathComponent("catalog")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) {
            try FileManager.default.copyItem(at: shipped.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let sources = dir.appendingPathComponent("sources.csv")
        let text = try String(contentsOf: sources, encoding: .utf8)
        let ssb = try #require(text.split(separator: "\n").first { $0.hasPrefix("5,ssb,") })
        let replaced = ssb.replacingOccurrences(of: "api=v2;language=no;cell_limit=800000;url_limit=2000", with: sourceOptions)
        try FileManager.default.removeItem(at: sources)
        try text.replacingOccurrences(of: String(ssb), with: replaced).write(to: sources, atomically: true, encoding: .utf8)
        return dir
    }
}

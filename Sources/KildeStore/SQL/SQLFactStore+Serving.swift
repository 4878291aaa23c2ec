import KildeCore

extension SQLFactStore {
    public func factSeries(_ q: FactSeriesQuery) async throws -> FactSeries { try await readDatabase.factSeries(q, labels: registryLabels) }
    public func factTotals(_ q: FactSeriesQuery) async throws -> FactTotals { try await readDatabase.factTotals(q) }
    public func assets() async throws -> [AssetStatus] { try await readDatabase.assetRows() }
    public func materializations(asset: String, limit: Int) async throws -> [Materialization] {
        try await readDatabase.materializations(asset: asset, limit: limit)
    }
    public func storedLevels(_ q: StoredLevelsQuery) async throws -> [StoredLevel] { try await readDatabase.storedLevels(q) }
    public func reconcile(_ scope: ReconcileScope) async throws -> ReconcileReport { try await readDatabase.reconcile(scope) }
    public func kommuneIndicators(indicator: String, year: Int) async throws -> [KommuneIndicatorRow] {
        try await readDatabase.kommuneIndicators(indicator: indicator, year: year)
    }
    public func unmatchedRegions(indicator: String, year: Int) async throws -> [UnmatchedRegion] {
        try await readDatabase.unmatchedRegions(indicator: indicator, year: year)
    }
    public func indicatorYears(indicator: String) async throws -> [Int] { try await readDatabase.indicatorYears(indicator: indicator) }
    public func kommuner() async throws -> [Kommune] { try await readDatabase.servedKommuner() }

    public func materializeKommuneIndicators(seed: KommuneSeed, trigger: String) async throws -> MartBuildReport {
        let startedAt = Timestamp.now()
        let inputs = try await database.execute("SELECT key FROM indicators ORDER BY sort_order, key").compactMap { $0.string("key") }
        let config = CanonicalJSON.object([
            ("mart", CanonicalJSON.string("kommune_indicators")), ("seed", CanonicalJSON.string(seed.version)),
            ("inputs", CanonicalJSON.array(inputs.map(CanonicalJSON.string))),
        ])
        let runID = try await startMartBuild(RunRequest(sourceKey: "kilde", dataset: KommuneIndicatorMart.asset, sliceConfig: config,
                                                        slicesTotal: 1, years: nil, owner: RunOwner.current, startedAt: startedAt))
        do {
            // The build, the swap, the run's finish and the materialisation record commit together.
            return try await transaction { db in
                let (rows, tests, changes) = try await db.buildKommuneIndicators(seed: seed)
                let report = MartBuildReport(runID: runID, swapped: changes != nil, rows: rows, tests: tests, seedVersion: seed.version)
                let status: RunStatus = report.swapped ? .complete : .error
                let progress = RunProgress(slicesDone: 1, counters: changes?.counters ?? RowCounters(),
                                           phaseDetail: Self.martBuildDetail(report, startedAt: startedAt, trigger: trigger), at: Timestamp.now())
                try await db.execute(RunSQL.progress(status: status), RunSQL.progressBinds(progress, status: status, error: report.failureSummary, id: runID))
                try await db.recordMartMaterialization(runID: runID, startedAt: startedAt, finishedAt: progress.at, seedVersion: seed.version,
                                                       config: config, changes: changes)
                return report
            }
        } catch {
            try? await finishRun(id: runID, status: .error, progress: RunProgress(slicesDone: 0, counters: RowCounters(), at: Timestamp.now()),
                                 error: "mart build failed: \(error)")
            throw error
        }
    }

    /// A mart build's `phase_detail`: its phase (`swapped` or `tests_failed`), trigger, seed, rows and every test.
    static func martBuildDetail(_ report: MartBuildReport, startedAt: String, trigger: String) -> String {
        CanonicalJSON.object([
            ("v", "1"), ("kind", CanonicalJSON.string("mart_build")),
            ("phase", CanonicalJSON.string(report.swapped ? "swapped" : "tests_failed")),
            ("done", "1"), ("total", "1"), ("canonical_progress", "1"),
            ("started_at", CanonicalJSON.string(startedAt)), ("trigger", CanonicalJSON.string(trigger)),
            ("seed_version", CanonicalJSON.string(report.seedVersion)), ("rows", String(report.rows)),
            ("tests", CanonicalJSON.array(report.tests.map { t in
                CanonicalJSON.object([("name", CanonicalJSON.string(t.name)), ("passed", t.passed ? "true" : "false"),
                                      ("severity", CanonicalJSON.string(t.severity.rawValue)),
                                      ("failures", String(t.failures)), ("detail", CanonicalJSON.string(t.detail))])
            })),
        ])
    }

    /// Starts a mart build's run; while another build holds it (two ingests finishing at once, in two processes),
    /// waits for that one to end and starts after it: a build that began before this caller's facts were committed
    /// may not hold them, so this caller's build is never skipped.
    /// - Throws: ``StoreError`` `.activeRun` when the other build is still running after `wait`.
    func startMartBuild(_ request: RunRequest, wait: Duration = .seconds(600)) async throws -> Int64 {
        let deadline = ContinuousClock.now + wait
        var pause = Duration.milliseconds(20)
        while true {
            do {
                return try await startRun(request)
            } catch let e as StoreError where ContinuousClock.now < deadline {
                guard case .activeRun = e.code else { throw e }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
            }
        }
    }
}

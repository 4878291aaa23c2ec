import KildeCore

/// A ``FactStore`` built on SQL: the behaviour is written once here, over ``SQLDatabase``, and each
/// store supplies a connection, transactions, migrations and the few statements whose spelling differs.
protocol SQLFactStore: FactStore {
    /// Runs statements outside a transaction.
    var database: any SQLDatabase { get }
    /// Runs the serving reads (they may see data committed a moment ago, never a half-written slice).
    /// Defaults to ``database``; a store with separate read connections returns one of them.
    var readDatabase: any SQLDatabase { get }
    var statistics: StoreStatistics { get }
    /// Registry labels read by serving reads; the registry changes only by ``migrate(catalog:)``, which clears it.
    var registryLabels: RegistryLabelCache { get }
    /// Runs `body` in one transaction on one connection; rolls back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Applies pending schema migrations; returns the versions applied and how many were already there.
    func applyMigrations() async throws -> (applied: [String], already: Int)
    /// Upserts `rows`' `metric` into `table` inside the slice transaction `db`, guarded so identical rows
    /// are not rewritten and the other metric is never touched. Each store picks its fastest bulk mechanism.
    func upsert(_ rows: [Fact], metric: Metric, table: FactTable, at: String, in db: any SQLDatabase) async throws
    /// Whether `error` is a unique-index violation (used to detect an active run on the same slice hash).
    func isUniqueViolation(_ error: any Error) -> Bool
    /// Runs a step of ``migrate(catalog:)`` that another process may be running at the same moment: a store whose
    /// writers lock the whole file (SQLite) waits for them well past its busy timeout; a server store just runs it.
    func waitingForOtherWriters<T: Sendable>(_ body: () async throws -> T) async throws -> T
}

extension SQLFactStore {
    var readDatabase: any SQLDatabase { database }

    func waitingForOtherWriters<T: Sendable>(_ body: () async throws -> T) async throws -> T { try await body() }

    public func migrate(catalog: Catalog) async throws -> MigrationReport {
        let (applied, already) = try await applyMigrations()
        let rows = try await waitingForOtherWriters { try await transaction { db in
            if let lock = db.dialect.registrySyncLock { try await db.execute(lock) }
            return try await db.syncRegistry(catalog)
        } }
        if !applied.isEmpty {
            for statement in database.dialect.registryStatistics { try await database.execute(statement) }
        }
        registryLabels.clear()
        try await retireAbandonedRuns()
        return MigrationReport(applied: applied, alreadyApplied: already, registryRows: rows)
    }

    public func tableCounts() async throws -> [String: Int] { try await database.tableCounts() }
    public func dataKind() async throws -> DataKind? { try await readDatabase.dataKind() }

    public func claimDataKind(_ kind: DataKind) async throws {
        try await database.execute("INSERT INTO store_meta (key, value) VALUES ('data_kind', ?) ON CONFLICT (key) DO NOTHING", [.text(kind.rawValue)])
        let current = try await database.dataKind()
        guard current == kind else {
            throw StoreError(.dataKindMismatch, "\(location) holds \(current?.rawValue ?? "unknown") data; refusing to write \(kind.rawValue) data into it (demo and real numbers never share a store)")
        }
    }

    // MARK: Runs

    public func startRun(_ r: RunRequest) async throws -> Int64 {
        var retired = false
        var lastConflict: (any Error)?
        for _ in 0..<3 {
            do {
                let rows = try await database.execute("""
                    INSERT INTO ingest_runs (source_key, dataset, slice_config, status, owner, started_at, heartbeat_at, slices_total, year_first, year_last)
                    VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id
                    """, [.text(r.sourceKey), .text(r.dataset), .text(r.sliceConfig), .text(r.status.rawValue), .text(r.owner),
                          .text(r.startedAt), .text(r.startedAt), .int(r.slicesTotal), .optional(r.years?.first), .optional(r.years?.last)])
                guard let id = rows.first?.int("id") else { throw StoreError(.other, "insert into ingest_runs returned no id") }
                try await database.insertArtifacts(r.artifacts, sourceID: r.sourceID, dataset: r.dataset, sliceKey: "", runID: Int64(id))
                return Int64(id)
            } catch where isUniqueViolation(error) {
                // The partial unique index refused: name the active run, or retire it if its process is gone.
                let active = try await database.execute("""
                    SELECT id, owner FROM ingest_runs WHERE slice_hash = kilde_slice_hash(?) AND status IN ('queued','running')
                    """, [.text(r.sliceConfig)])
                lastConflict = error
                // The run that held the slice finished between the insert and this read: try again.
                guard let row = active.first, let id = row.int("id") else { continue }
                if !retired, RunOwner.isAbandoned(row.string("owner")) {
                    try await retire(run: id, owner: row.string("owner"))
                    retired = true
                    continue
                }
                throw StoreError(.activeRun(Int64(id)), "run \(id) is already ingesting this slice (owner \(row.string("owner") ?? "unknown")); wait for it or check `kilde run \(id)`")
            }
        }
        throw lastConflict ?? StoreError(.other, "could not start run")
    }

    /// Marks `error` every queued or running run whose process on this host has ended (killed, or stopped by a store
    /// that went away mid-run), so no run says `running` for ever.
    /// - Returns: the runs retired.
    @discardableResult
    func retireAbandonedRuns() async throws -> [Int64] {
        var retired: [Int64] = []
        for row in try await database.execute("SELECT id, owner FROM ingest_runs WHERE status IN ('queued','running')") {
            guard let id = row.int("id"), RunOwner.isAbandoned(row.string("owner")) else { continue }
            try await retire(run: id, owner: row.string("owner"))
            retired.append(Int64(id))
        }
        return retired
    }

    private func retire(run id: Int, owner: String?) async throws {
        try await database.execute("UPDATE ingest_runs SET status='error', finished_at=?, error_message=? WHERE id=? AND status IN ('queued','running')",
                                   [.text(Timestamp.now()), .text("abandoned: process \(owner ?? "?") ended before the run finished"), .int(id)])
    }

    public func updateRun(id: Int64, progress p: RunProgress) async throws {
        try await database.execute(RunSQL.progress(status: nil), RunSQL.progressBinds(p, status: nil, error: nil, id: id))
    }

    /// A dataset's run that finishes `complete` records its materialisation in the same transaction.
    public func finishRun(id: Int64, status: RunStatus, progress p: RunProgress, error: String?) async throws {
        try await transaction { db in
            try await db.execute(RunSQL.progress(status: status), RunSQL.progressBinds(p, status: status, error: error, id: id))
            if status == .complete { try await db.recordDatasetMaterialization(runID: id, finishedAt: p.at) }
        }
    }

    public func runs(limit: Int) async throws -> [RunRecord] {
        try await readDatabase.execute("SELECT \(RunSQL.columns) FROM ingest_runs ORDER BY id DESC LIMIT ?", [.int(limit)]).map(RunSQL.record)
    }

    public func materializedAssets() async throws -> Set<String> {
        Set(try await readDatabase.execute("SELECT DISTINCT dataset FROM ingest_runs WHERE status = 'complete'").compactMap { $0.string("dataset") })
    }

    public func runs(dataset: String, limit: Int) async throws -> [RunRecord] {
        try await readDatabase.execute("SELECT \(RunSQL.columns) FROM ingest_runs WHERE dataset = ? ORDER BY id DESC LIMIT ?",
                                       [.text(dataset), .int(limit)]).map(RunSQL.record)
    }

    public func run(id: Int64) async throws -> RunRecord? {
        try await readDatabase.execute("SELECT \(RunSQL.columns) FROM ingest_runs WHERE id = ?", [.int(Int(id))]).first.map(RunSQL.record)
    }

    // MARK: Slices

    public func probe(_ p: SliceProbe) async throws -> ProbeResult {
        statistics.noteRoundTrip()
        return try await sqlProbe(p)
    }

    /// The probe as SQL statements in one transaction (PostgreSQL runs the yearly one as one server function).
    func sqlProbe(_ p: SliceProbe) async throws -> ProbeResult {
        try await transaction { db in
            try await db.insertArtifacts(p.artifacts, ref: p.ref)
            let (stored, count) = try await db.sliceSums(p.keys, metric: p.metric)
            let unchanged = ChangeGate.decide(upstream: p.upstream, stored: stored) == .skip && count > 0
            if unchanged {
                try await db.markState(p.ref, status: "unchanged", rowCount: p.transformedRowCount, total: p.upstream.total, error: nil, at: p.fetchedAt)
                try await db.recordTotals(p.ref, p.upstream, at: p.fetchedAt)
            }
            return ProbeResult(stored: stored, rowCount: count, markedUnchanged: unchanged)
        }
    }

    public func existingFacts(_ keys: SliceKeySet, years: Set<Int>?) async throws -> [FactKey: StoredMetrics] {
        statistics.noteRoundTrip()
        return try await database.existingFacts(keys, years: years)
    }

    public func storedTotals(_ keys: SliceKeySet, metric: Metric) async throws -> StoredTotals {
        statistics.noteRoundTrip()
        return try await readDatabase.storedTotals(keys, metric: metric)
    }

    public func commitSlice(_ c: SliceCommit) async throws {
        statistics.noteRoundTrip()
        let store = self
        let table = c.ref.slice.table
        try await transaction { db in
            if !c.upserts.isEmpty { try await store.upsert(c.upserts, metric: c.metric, table: table, at: c.fetchedAt, in: db) }
            for key in c.deletes {
                let (cond, binds) = try FactSQL.naturalKeyCondition(key, table: table, dialect: db.dialect)
                try await db.execute("DELETE FROM \(table.rawValue) WHERE \(cond)", binds)
            }
            for key in c.clears {
                let (cond, binds) = try FactSQL.naturalKeyCondition(key, table: table, dialect: db.dialect)
                try await db.execute("UPDATE \(table.rawValue) SET \(c.metric.rawValue) = NULL, ingested_at = ? WHERE \(cond)", [.text(c.fetchedAt)] + binds)
            }
            try await db.markState(c.ref, status: "success", rowCount: c.transformedRowCount, total: c.upstream.total, error: nil, at: c.fetchedAt)
            try await db.recordTotals(c.ref, c.upstream, at: c.fetchedAt)
        }
        statistics.noteRowsWritten(c.upserts.count + c.deletes.count + c.clears.count)
    }

    public func recordFailure(_ f: SliceFailure) async throws {
        statistics.noteRoundTrip()
        try await transaction { db in
            try await db.insertArtifacts(f.artifacts, ref: f.ref)
            try await db.markState(f.ref, status: "failed", rowCount: nil, total: nil, error: f.error, at: f.fetchedAt)
            if let upstream = f.upstream { try await db.recordTotals(f.ref, upstream, at: f.fetchedAt) }
        }
    }

    // MARK: Reads

    public func queryFacts(_ q: FactQuery) async throws -> [FactRow] { try await readDatabase.queryFacts(q) }

    public func latestPeriod(sourceID: Int, dimCode: Int, subyear: Bool) async throws -> String? {
        try await readDatabase.latestPeriod(sourceID: sourceID, dimCode: dimCode, subyear: subyear)
    }
}

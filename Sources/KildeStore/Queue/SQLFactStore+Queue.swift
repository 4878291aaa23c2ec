import Foundation
import KildeCore

extension SQLDialect {
    /// The store's clock as an expression in Kilde's timestamp form: every claim, heartbeat and staleness test reads
    /// the same clock, whichever host the worker runs on.
    var currentTime: String {
        switch self {
        case .sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
        case .postgres: "now()"
        }
    }

    /// The store's clock plus a bound number of seconds (negative: minus).
    var currentTimePlusSeconds: String {
        switch self {
        case .sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ','now', printf('%+.3f seconds', ?))"
        case .postgres: "now() + make_interval(secs => ?)"
        }
    }

    /// Row locks a claim takes so concurrent claimers skip each other's rows (PostgreSQL); SQLite has one writer.
    var skipLocked: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
}

enum QueueSQL {
    /// The job's columns as an `UPDATE … RETURNING` gives them (no subqueries there in SQLite).
    static let returned = "id, kind, asset, payload, wave, reason, status, attempts, max_attempts, backoff_seconds, not_before, enqueued_at, claimed_by, heartbeat_at, finished_at, changed, error, error_code, run_id"

    /// The job's columns; while an attempt runs, its run is the one the claim owns.
    static let columns = """
        id, kind, asset, payload, wave, reason, status, attempts, max_attempts, backoff_seconds, not_before, enqueued_at, claimed_by, \
        heartbeat_at, finished_at, changed, error, error_code, \
        COALESCE(run_id, CASE WHEN status = 'running' THEN (SELECT max(r.id) FROM ingest_runs r WHERE r.owner = work_queue.claimed_by) END) AS run_id
        """

    static func job(_ r: SQLRow) -> QueuedJob {
        QueuedJob(id: Int64(r.int("id") ?? 0), kind: JobKind(rawValue: r.string("kind") ?? "") ?? .ingest, asset: r.string("asset") ?? "",
                  payload: r.string("payload") ?? "{}", wave: r.string("wave"), reason: r.string("reason") ?? "",
                  status: JobStatus(rawValue: r.string("status") ?? "") ?? .failed, attempts: r.int("attempts") ?? 0,
                  maxAttempts: r.int("max_attempts") ?? 1, backoffSeconds: r.double("backoff_seconds") ?? 0,
                  notBefore: r.string("not_before") ?? "", enqueuedAt: r.string("enqueued_at") ?? "", claimedBy: r.string("claimed_by"),
                  heartbeatAt: r.string("heartbeat_at"), finishedAt: r.string("finished_at"), runID: r.int("run_id").map(Int64.init),
                  changed: r.int("changed").map { $0 != 0 }, error: r.string("error"), errorCode: r.string("error_code"))
    }
}

extension SQLFactStore {
    public func enqueue(_ jobs: [JobRequest]) async throws -> [Int64] {
        try await transaction { db in try await db.enqueue(jobs) }
    }

    public func claim(worker: String) async throws -> ClaimedJob? {
        let d = database.dialect
        let rows = try await database.execute("""
            UPDATE work_queue SET status = 'running', attempts = attempts + 1,
              claimed_by = 'job' || id || '.' || (attempts + 1) || '@' || CAST(? AS text), claimed_at = \(d.currentTime), heartbeat_at = \(d.currentTime),
              run_id = NULL, changed = NULL
            WHERE id = (SELECT id FROM work_queue WHERE status = 'queued' AND not_before <= \(d.currentTime) AND (pinned_to IS NULL OR pinned_to = ?)
                        ORDER BY id LIMIT 1\(d.skipLocked))
              AND status = 'queued'
            RETURNING \(QueueSQL.returned)
            """, [.text(worker), .text(worker)])
        guard let row = rows.first else { return nil }
        let job = QueueSQL.job(row)
        return ClaimedJob(job: job, token: job.claimedBy ?? worker)
    }

    public func requeueStale(staleAfter: Duration, sparing: Set<String>) async throws -> [Int64] {
        let seconds = Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18
        return try await transaction { db in
            let d = db.dialect
            let stale = try await db.execute("""
                SELECT id, claimed_by, heartbeat_at FROM work_queue
                WHERE status = 'running' AND heartbeat_at < \(d.currentTimePlusSeconds) ORDER BY id\(d.skipLocked)
                """, [.double(-seconds)])
            var ids: [Int64] = []
            for row in stale {
                guard let id = row.int("id") else { continue }
                let token = row.string("claimed_by") ?? "?"
                if sparing.contains(token) { continue }
                let why = "claim \(token) stopped heartbeating (last \(row.string("heartbeat_at") ?? "never")); queued again"
                try await db.execute("UPDATE work_queue SET status = 'queued', not_before = \(d.currentTime), error = ? WHERE id = ? AND status = 'running'",
                                     [.text(why), .int(id)])
                // The run the stopped claim started (it carries the claim's token as its owner) would hold its slices.
                try await db.execute("""
                    UPDATE ingest_runs SET status = 'error', finished_at = ?, error_message = ?
                    WHERE owner = ? AND status IN ('queued','running')
                    """, [.text(Timestamp.now()), .text("abandoned: worker claim \(token) stopped heartbeating; the job was queued again"), .text(token)])
                ids.append(Int64(id))
            }
            return ids
        }
    }

    public func heartbeat(_ claim: ClaimedJob) async throws -> Bool {
        let rows = try await database.execute("""
            UPDATE work_queue SET heartbeat_at = \(database.dialect.currentTime) WHERE id = ? AND claimed_by = ? AND status = 'running' RETURNING id
            """, [.int(Int(claim.job.id)), .text(claim.token)])
        return !rows.isEmpty
    }

    public func finish(_ claim: ClaimedJob, _ outcome: JobOutcome) async throws -> Bool {
        let d = database.dialect
        let rows: [SQLRow]
        switch outcome {
        case .done(let runID, let changed):
            rows = try await database.execute("""
                UPDATE work_queue SET status = 'done', finished_at = \(d.currentTime), run_id = ?, changed = ?, error = NULL, error_code = NULL
                WHERE id = ? AND claimed_by = ? AND status = 'running' RETURNING id
                """, [.optional(runID.map(Int.init)), .int(changed ? 1 : 0), .int(Int(claim.job.id)), .text(claim.token)])
        case .failed(let error, let code, let retryAfter?, let runID):
            rows = try await database.execute("""
                UPDATE work_queue SET status = 'queued', not_before = \(d.currentTimePlusSeconds), run_id = ?, error = ?, error_code = ?
                WHERE id = ? AND claimed_by = ? AND status = 'running' RETURNING id
                """, [.double(retryAfter), .optional(runID.map(Int.init)), .text(error), .optional(code), .int(Int(claim.job.id)), .text(claim.token)])
        case .failed(let error, let code, nil, let runID):
            rows = try await database.execute("""
                UPDATE work_queue SET status = 'failed', finished_at = \(d.currentTime), run_id = ?, error = ?, error_code = ?
                WHERE id = ? AND claimed_by = ? AND status = 'running' RETURNING id
                """, [.optional(runID.map(Int.init)), .text(error), .optional(code), .int(Int(claim.job.id)), .text(claim.token)])
        }
        return !rows.isEmpty
    }

    public func job(id: Int64) async throws -> QueuedJob? {
        try await database.execute("SELECT \(QueueSQL.columns) FROM work_queue WHERE id = ?", [.int(Int(id))]).first.map(QueueSQL.job)
    }

    public func jobs(limit: Int, status: JobStatus?) async throws -> [QueuedJob] {
        if let status {
            return try await database.execute("SELECT \(QueueSQL.columns) FROM work_queue WHERE status = ? ORDER BY id DESC LIMIT ?",
                                              [.text(status.rawValue), .int(limit)]).map(QueueSQL.job)
        }
        return try await database.execute("SELECT \(QueueSQL.columns) FROM work_queue ORDER BY id DESC LIMIT ?", [.int(limit)]).map(QueueSQL.job)
    }

    public func jobs(wave: String) async throws -> [QueuedJob] {
        try await database.execute("SELECT \(QueueSQL.columns) FROM work_queue WHERE wave = ? ORDER BY id", [.text(wave)]).map(QueueSQL.job)
    }

    public func cursor(_ name: String) async throws -> String? {
        try await database.execute("SELECT value FROM scheduler_cursors WHERE name = ?", [.text(name)]).first?.string("value")
    }

    public func advanceCursor(_ name: String, from expected: String?, to value: String, enqueue jobs: [JobRequest]) async throws -> [Int64]? {
        try await transaction { db in
            let moved: [SQLRow]
            if let expected {
                moved = try await db.execute("""
                    UPDATE scheduler_cursors SET value = ?, updated_at = \(db.dialect.currentTime) WHERE name = ? AND value = ? RETURNING name
                    """, [.text(value), .text(name), .text(expected)])
            } else {
                moved = try await db.execute("""
                    INSERT INTO scheduler_cursors (name, value, updated_at) VALUES (?, ?, \(db.dialect.currentTime))
                    ON CONFLICT (name) DO NOTHING RETURNING name
                    """, [.text(name), .text(value)])
            }
            guard !moved.isEmpty else { return nil }
            return try await db.enqueue(jobs)
        }
    }
}

extension SQLDatabase {
    /// Inserts `jobs` (inside the caller's transaction); a dedupe key already present returns the earlier job's id.
    func enqueue(_ jobs: [JobRequest]) async throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(jobs.count)
        for j in jobs {
            let inserted = try await execute("""
                INSERT INTO work_queue (kind, asset, payload, wave, dedupe_key, reason, status, max_attempts, backoff_seconds, pinned_to, not_before, enqueued_at)
                VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, \(dialect.currentTime), \(dialect.currentTime))
                ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
                """, [.text(j.kind.rawValue), .text(j.asset), .text(j.payload), .optional(j.wave), .optional(j.dedupeKey), .text(j.reason),
                      .int(j.maxAttempts), .double(j.retry.backoffSeconds), .optional(j.pinnedTo)])
            if let id = inserted.first?.int("id") {
                ids.append(Int64(id))
            } else if let key = j.dedupeKey, let id = try await execute("SELECT id FROM work_queue WHERE dedupe_key = ?", [.text(key)]).first?.int("id") {
                ids.append(Int64(id))
            } else {
                throw StoreError(.other, "queuing \(j.kind.rawValue) \(j.asset) returned no id")
            }
        }
        return ids
    }
}

import KildeCore

/// What a mart was last built from, so a refresh can tell whether anything it reads changed (``MartStore``).
extension SQLFactStore {
    public func lastChangingRun(datasets: [String]) async throws -> Int64? {
        guard !datasets.isEmpty else { return nil }
        var b = SQLBuilder(database.dialect, "SELECT max(id) AS id FROM ingest_runs WHERE rows_added + rows_updated + rows_deleted > 0 AND dataset IN (")
        var marks: [String] = []
        for d in datasets { marks.append(b.bind(.text(d))) }
        b.append(marks.joined(separator: ", ") + ")")
        return try await database.execute(b).first?.int("id").map(Int64.init)
    }

    public func buildInputs(asset: String) async throws -> String? {
        try await database.execute("SELECT value FROM store_meta WHERE key = ?", [.text("build_inputs:" + asset)]).first?.string("value")
    }

    public func recordBuildInputs(asset: String, token: String) async throws {
        try await database.execute("INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   [.text("build_inputs:" + asset), .text(token)])
    }
}

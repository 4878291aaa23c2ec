import KildeStore

/// `/runs`: recent runs (ingests and mart builds) with status, counters and errors; `?dataset=KEY` keeps one
/// asset's (a dataset key or a mart, as `/lineage` links them).
struct RunsPage {
    let server: ServerContext

    /// - Parameter dataset: the asset whose runs to list; `nil` for every run.
    /// - Throws: ``APIError`` (400) when `dataset` names no dataset or mart.
    func render(dataset: String?) async throws -> HTMLPage {
        if let dataset, dataset != KommuneIndicatorMart.asset, server.registry.dataset(key: dataset) == nil {
            throw APIError.invalidParameter("dataset", "unknown asset '\(dataset)': a dataset key or \(KommuneIndicatorMart.asset)")
        }
        let runs = if let dataset { try await server.store.runs(dataset: dataset, limit: 50) } else { try await server.store.runs(limit: 50) }
        var rows = ""
        for r in runs {
            let api = API.Run(r)
            rows += """
                <tr data-run="\(r.id)"><td><a href="/v1/runs/\(r.id)">\(r.id)</a></td><td>\(HTML.escape(r.dataset))</td>
                <td class="\(r.status == .error ? "error" : "")">\(r.status.rawValue)</td><td>\(HTML.escape(r.startedAt ?? ""))</td><td>\(HTML.escape(r.finishedAt ?? ""))</td>
                <td class="num">\(r.slicesDone)/\(r.slicesTotal) (\(Int((api.progress * 100).rounded())) %)</td>
                <td class="num">\(r.rowsAdded)</td><td class="num">\(r.rowsUpdated)</td><td class="num">\(r.rowsSkippedIdentical)</td><td class="num">\(r.rowsDeleted)</td>
                <td>\(HTML.escape(r.errorMessage ?? ""))</td></tr>
                """
        }
        let scope = dataset.map { "De siste 50 kjøringene av <code>\(HTML.escape($0))</code> (<a href=\"/runs\">alle kjøringer</a>)." }
            ?? "De siste 50 kjøringene: innhenting av datasett og bygging av marts (<code>mart:…</code>)."
        let body = """
            <p>\(scope) Fullstendige detaljer, med <code>phase_detail</code>, under hver id.</p>
            <div class="scroll"><table id="runs"><thead><tr><th>Id</th><th>Asset</th><th>Status</th><th>Startet</th><th>Ferdig</th><th class="num">Utsnitt</th>
            <th class="num">Nye</th><th class="num">Endret</th><th class="num">Like</th><th class="num">Fjernet</th><th>Feil</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return HTMLPage(title: "Kjøringer", section: .runs, demo: try await server.isDemo(), body: body, credits: server.credits)
    }
}

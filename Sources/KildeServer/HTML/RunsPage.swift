import KildeStore

/// `/runs`: recent runs (ingests and mart builds) with status, counters and errors.
struct RunsPage {
    let server: ServerContext

    func render() async throws -> HTMLPage {
        let runs = try await server.store.runs(limit: 50)
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
        let body = """
            <p>De siste 50 kjøringene: innhenting av datasett og bygging av marts (<code>mart:…</code>). Fullstendige detaljer, med <code>phase_detail</code>, under hver id.</p>
            <div class="scroll"><table id="runs"><thead><tr><th>Id</th><th>Asset</th><th>Status</th><th>Startet</th><th>Ferdig</th><th class="num">Utsnitt</th>
            <th class="num">Nye</th><th class="num">Endret</th><th class="num">Like</th><th class="num">Fjernet</th><th>Feil</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return HTMLPage(title: "Kjøringer", section: .runs, demo: try await server.isDemo(), body: body, credits: server.credits)
    }
}

import Hummingbird

/// `/api`: the API reference, generated from the server's own OpenAPI document — every operation with its
/// parameters, answers, an example request and answer and a try-it form, then every schema.
struct APIReferencePage {
    let server: ServerContext
    let reference: APIReference

    /// - Parameter request: its authority (`Host`) gives the example requests this server's address.
    func render(_ request: Request) async throws -> HTMLPage {
        let base = Self.base(serverURL: reference.serverURL, host: request.head.authority)
        let operations = reference.operations.map { APIOperationHTML(op: $0, reference: reference, base: base) }
        let toc = operations.map { o in
            "<li><a href=\"#\(o.anchor)\"><span class=\"method \(HTML.escape(o.op.method.lowercased()))\">\(HTML.escape(o.op.method))</span> "
                + "<code>\(HTML.escape(o.op.path))</code></a> \(APISchemaHTML.prose(o.op.summary))</li>"
        }.joined()
        let schemaLinks = reference.schemas.map { "<li><a href=\"#\(APISchemaHTML.anchor($0.key))\">\(HTML.escape($0.key))</a></li>" }.joined()
        let schemas = reference.schemas.map { s in
            """
            <section class="schema" id="\(APISchemaHTML.anchor(s.key))" data-schema="\(HTML.escape(s.key))"><h3>\(HTML.escape(s.key))</h3>
            <p>\(APISchemaHTML.label(s.value))\(s.value["description"]?.string.map { " — " + APISchemaHTML.prose($0) } ?? "")</p>
            \(s.value["properties"] == nil ? "" : """
                <div class="scroll"><table class="properties"><thead><tr><th>Egenskap</th><th>Type</th><th>Påkrevd</th><th>Beskrivelse</th></tr></thead>
                <tbody>\(APISchemaHTML.propertyRows(s.value))</tbody></table></div>
                """)</section>
            """
        }.joined()
        let body = """
            <p>\(APISchemaHTML.prose(reference.description))</p>
            <p>\(HTML.escape(reference.title)) \(HTML.escape(reference.version)), fra <a href="/v1/openapi.json" type="application/json">OpenAPI-dokumentet</a>.
            Adresse: <code>\(HTML.escape(base))/</code>. «Prøv» sender forespørselen til denne serveren og viser svaret.</p>
            <nav class="apitoc" aria-label="Endepunkter"><h2>Endepunkter</h2><ul>\(toc)</ul><h2>Skjemaer</h2><ul class="schemas">\(schemaLinks)</ul></nav>
            \(operations.map { $0.render() }.joined())
            <h2 id="schemas">Skjemaer</h2>\(schemas)
            """
        return HTMLPage(title: "API-referanse", section: .api, demo: try await server.isDemo(), body: body, script: Self.script, credits: server.credits)
    }

    /// Where the API is: an absolute server URL as it is, a relative one on this server's origin. A `Host` that is
    /// not a plain host name and port is not echoed (the page shows the default address instead).
    static func base(serverURL: String, host: String?) -> String {
        let trimmed = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return trimmed }
        let plain = host.flatMap { h in
            !h.isEmpty && h.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) } ? h : nil
        }
        return "http://" + (plain ?? "127.0.0.1:8080") + trimmed
    }

    /// The try-it forms: each sends its fields (path, query, header, body) with `fetch` and shows the status and
    /// the answer, JSON pretty-printed; text is set with `textContent`, so no answer is read as HTML. The form's own
    /// attributes are read with `getAttribute`: a field named `dataset` or `id` shadows `form.dataset` and `form.id`.
    static let script = """
        (function(){document.querySelectorAll('form.tryit').forEach(function(f){
        var attr=function(n){return f.getAttribute(n)},out=document.getElementById(attr('data-answer')),status=out.querySelector('.status'),code=out.querySelector('code');
        f.querySelector('button').disabled=false;
        f.addEventListener('submit',function(e){e.preventDefault();
        var method=attr('data-method'),path=attr('data-path'),q=new URLSearchParams(),init={method:method,headers:{accept:'application/json'}};
        f.querySelectorAll('[data-in]').forEach(function(el){if(el.value==='')return;var at=el.getAttribute('data-in'),name=el.getAttribute('name');
        if(at==='path')path=path.split('{'+name+'}').join(encodeURIComponent(el.value));
        else if(at==='query')q.append(name,el.value);
        else if(at==='header')init.headers[name]=el.value;
        else if(at==='body'){init.body=el.value;init.headers['content-type']=attr('data-body-type');}});
        var url=path+(String(q)?'?'+q:'');out.hidden=false;out.removeAttribute('data-status');status.textContent=method+' '+url+' …';code.textContent='';
        fetch(url,init).then(function(r){return r.text().then(function(t){var type=r.headers.get('content-type')||'';
        if(type.indexOf('json')>=0){try{t=JSON.stringify(JSON.parse(t),null,2)}catch(_){}}
        if(t.length>200000)t=t.slice(0,200000)+' … (avkortet)';
        code.textContent=t;status.textContent=method+' '+url+' → '+r.status+' '+r.statusText+(type?' · '+type:'');out.setAttribute('data-status',r.status);});})
        .catch(function(err){status.textContent='Feil: '+err.message;out.setAttribute('data-status','error');});});});})();
        """
}

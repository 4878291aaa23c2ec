import KildeHTML

/// The BRASK query form as the page serves it: the WebForms state fields to send back and the controls a query
/// sets (row and column, the filter list boxes, the metric radio buttons), found by their control ids.
///
/// ASP.NET names a control `ctl00$Innhold$ddlRad`: the part after the last `$` is its id in the page's source
/// (`ddlRad`), which stays put when the master page around it changes; queries name controls by that id.
public struct BRASKForm: Sendable, Hashable {
    /// The form's `action` (relative to the page), if any.
    public var action: String?
    /// Every hidden input named `__…` (`__VIEWSTATE`, `__VIEWSTATEGENERATOR`, `__EVENTVALIDATION`, `__EVENTTARGET`,
    /// …), in page order: what a post must send back unchanged.
    public var stateFields: [HTMLField]
    /// The form's controls as parsed.
    public var controls: HTMLForm

    /// Reads the form of a BRASK page (the `GET /` page, or a result page, which carries a fresh form).
    /// - Throws: ``BRASKPageError``: an ASP.NET error page, no form, or no `__VIEWSTATE`.
    public static func parse(_ bytes: some Collection<UInt8>) throws(BRASKPageError) -> BRASKForm {
        let document = try BRASKPage.document(bytes)
        guard let form = document.forms.first else {
            throw BRASKPage.serverError(in: document) ?? BRASKPageError(.missingFormField, "the page has no form")
        }
        let state = form.hiddenFields.filter { $0.name.hasPrefix("__") }
        guard state.contains(where: { $0.name == "__VIEWSTATE" }) else {
            throw BRASKPageError(.missingFormField, "the form has no __VIEWSTATE (hidden fields: \(state.map(\.name)))")
        }
        return BRASKForm(action: form.action, stateFields: state, controls: form)
    }

    /// The control id of a field name: `ctl00$Innhold$ddlRad` → `ddlRad`.
    public static func controlID(_ name: String) -> Substring {
        name.split(separator: "$", omittingEmptySubsequences: false).last ?? Substring(name)
    }

    /// The select whose control id is `id`, if any.
    public func select(_ id: String) -> HTMLSelect? {
        controls.selects.first { Self.controlID($0.name) == id }
    }

    /// The radio buttons whose control id is `id`, in page order.
    public func radioButtons(_ id: String) -> [HTMLInput] {
        controls.inputs.filter { $0.type == "radio" && Self.controlID($0.name) == id }
    }

    /// The fields of a post that asks for `choices`: the state fields, every other control as the page set it,
    /// each chosen control with the chosen values, and the submit button.
    /// - Parameters:
    ///   - choices: values by control id, e.g. `["ddlRad": ["arsak"], "ddlKolonne": ["dag"], "lbAar": ["2024"],
    ///     "rblVerdi": ["1"]]`; an empty list clears a list box (no filter: all values).
    ///   - submit: the control id of the button to press. Defaults to `btnVis`.
    /// - Throws: ``BRASKPageError`` with ``BRASKPageError/Code/invalidChoice`` when a control is not on the form, a
    ///   value is not among its options (ASP.NET's event validation would refuse the post), or a single-valued
    ///   control gets several values.
    public func submission(_ choices: [String: [String]], submit: String = "btnVis") throws(BRASKPageError) -> [HTMLField] {
        var chosen: [String: [String]] = [:]
        for (id, values) in choices.sorted(by: { $0.key < $1.key }) {
            let (name, allowed, multiple) = try control(id)
            if let bad = values.first(where: { !allowed.contains($0) }) {
                throw BRASKPageError(.invalidChoice, "'\(bad)' is not an option of \(id) (options: \(allowed.prefix(40).joined(separator: ", ")))")
            }
            guard multiple || values.count <= 1 else {
                throw BRASKPageError(.invalidChoice, "\(id) takes one value, not \(values.count)")
            }
            chosen[name] = values
        }
        guard let button = controls.inputs.first(where: { $0.type == "submit" && Self.controlID($0.name) == submit }) else {
            throw BRASKPageError(.invalidChoice, "the form has no submit button \(submit)")
        }
        var fields = controls.defaultSubmission.filter { chosen[$0.name] == nil }
        for (name, values) in chosen.sorted(by: { $0.key < $1.key }) {
            fields += values.map { HTMLField(name: name, value: $0) }
        }
        fields.append(HTMLField(name: button.name, value: button.value))
        return fields
    }

    /// A control's full name, the values it offers, and whether it takes several.
    private func control(_ id: String) throws(BRASKPageError) -> (name: String, values: [String], multiple: Bool) {
        if let s = select(id) { return (s.name, s.options.filter { !$0.isDisabled }.map(\.value), s.isMultiple) }
        let radios = radioButtons(id)
        if let first = radios.first { return (first.name, radios.filter { !$0.isDisabled }.map(\.value), false) }
        let known = controls.selects.map { String(Self.controlID($0.name)) }
            + Set(controls.inputs.filter { $0.type == "radio" }.map { String(Self.controlID($0.name)) }).sorted()
        throw BRASKPageError(.invalidChoice, "the form has no control \(id) (controls: \(known.joined(separator: ", ")))")
    }
}

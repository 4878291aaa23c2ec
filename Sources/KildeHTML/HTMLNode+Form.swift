internal import CLibXML2

extension HTMLNode {
    /// The form controls of this subtree (a `form` element, or any element holding controls), with the `action`
    /// and `method` of this element when it is a form, else of the form that encloses it.
    public var form: HTMLForm {
        let formElement = name == "form" ? self : ancestor(named: "form")
        var labels: [String: String] = [:]
        RawTree.walk(pointer, includingRoot: true) { p in
            if RawTree.isElement(p, named: "label"), let target = RawTree.attribute(p, "for") {
                labels[target] = String(RawTree.text(p).trimmingASCIISpaces)
            }
            return .descend
        }
        var form = HTMLForm(action: formElement?.attribute("action"), method: formElement?.attribute("method")?.lowercased())
        RawTree.walk(pointer, includingRoot: true) { p in
            if RawTree.isElement(p, named: "input") {
                if let input = Self.input(p, labels: labels) { form.inputs.append(input) }
                return .skipChildren
            }
            if RawTree.isElement(p, named: "select") {
                if let select = Self.select(p) { form.selects.append(select) }
                return .skipChildren
            }
            if RawTree.isElement(p, named: "textarea") {
                if let name = RawTree.attribute(p, "name"), !name.isEmpty { form.textAreas.append(HTMLField(name: name, value: RawTree.text(p))) }
                return .skipChildren
            }
            return .descend
        }
        return form
    }

    private static func input(_ p: xmlNodePtr, labels: [String: String]) -> HTMLInput? {
        guard let name = RawTree.attribute(p, "name"), !name.isEmpty else { return nil }
        let value = RawTree.attribute(p, "value")
        let id = RawTree.attribute(p, "id")
        let type = RawTree.attribute(p, "type").map { String($0.trimmingASCIISpaces).lowercased() }
        return HTMLInput(name: name, type: type.flatMap { $0.isEmpty ? nil : $0 } ?? "text", value: value ?? "", hasValue: value != nil,
                         isChecked: RawTree.attribute(p, "checked") != nil, isDisabled: RawTree.attribute(p, "disabled") != nil,
                         id: id, label: id.flatMap { labels[$0] })
    }

    private static func select(_ p: xmlNodePtr) -> HTMLSelect? {
        guard let name = RawTree.attribute(p, "name"), !name.isEmpty else { return nil }
        var select = HTMLSelect(name: name, id: RawTree.attribute(p, "id"), isMultiple: RawTree.attribute(p, "multiple") != nil,
                                isDisabled: RawTree.attribute(p, "disabled") != nil)
        // Options directly in the select or in its optgroups; the HTML parser may also leave an unclosed option's
        // successor inside it, so every option of the subtree counts, each with only its own text.
        RawTree.walk(p, includingRoot: false) { o in
            guard RawTree.isElement(o, named: "option") else { return .descend }
            let label = String(Self.ownText(o).trimmingASCIISpaces)
            select.options.append(HTMLOption(value: RawTree.attribute(o, "value") ?? label, label: label,
                                             isSelected: RawTree.attribute(o, "selected") != nil,
                                             isDisabled: RawTree.attribute(o, "disabled") != nil))
            return .descend
        }
        return select
    }

    /// The text directly inside an element (its text children only).
    private static func ownText(_ p: xmlNodePtr) -> String {
        var bytes: [UInt8] = []
        var child = p.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE { RawTree.append(c.pointee.content, to: &bytes) }
            child = c.pointee.next
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension HTMLDocument {
    /// Every `form` of the document, in document order.
    public var forms: [HTMLForm] {
        elements(named: "form").map(\.form)
    }
}

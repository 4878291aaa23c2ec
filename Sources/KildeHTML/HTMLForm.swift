/// The controls of an HTML form as a browser would submit them: inputs, selects and text areas, in document order
/// within each kind.
public struct HTMLForm: Sendable, Hashable {
    /// The form's `action`, if any.
    public var action: String?
    /// The form's `method`, lower case; `nil` when not given (a browser then uses GET).
    public var method: String?
    /// Every `input` with a name (hidden, text, radio, checkbox, submit, …).
    public var inputs: [HTMLInput]
    /// Every `select` with a name.
    public var selects: [HTMLSelect]
    /// Every `textarea` with a name, as (name, text).
    public var textAreas: [HTMLField]

    public init(action: String? = nil, method: String? = nil, inputs: [HTMLInput] = [], selects: [HTMLSelect] = [], textAreas: [HTMLField] = []) {
        self.action = action
        self.method = method
        self.inputs = inputs
        self.selects = selects
        self.textAreas = textAreas
    }

    /// The hidden inputs, as (name, value) in document order.
    public var hiddenFields: [HTMLField] {
        inputs.filter { $0.type == "hidden" }.map { HTMLField(name: $0.name, value: $0.value) }
    }

    /// The radio buttons named `name`, in document order.
    public func radioButtons(named name: String) -> [HTMLInput] {
        inputs.filter { $0.type == "radio" && $0.name == name }
    }

    /// The select named `name`, if any.
    public func select(named name: String) -> HTMLSelect? {
        selects.first { $0.name == name }
    }

    /// What a browser sends when the form is submitted as it stands, without a submit button: enabled hidden and
    /// text inputs, checked radio buttons and checkboxes (`on` when they have no value), each select's selected
    /// options (a single select with none selected sends its first), and text areas.
    public var defaultSubmission: [HTMLField] {
        var out: [HTMLField] = []
        for i in inputs where !i.isDisabled {
            switch i.type {
            case "submit", "image", "button", "reset", "file": continue
            case "radio", "checkbox":
                if i.isChecked { out.append(HTMLField(name: i.name, value: i.hasValue ? i.value : "on")) }
            default:
                out.append(HTMLField(name: i.name, value: i.value))
            }
        }
        for s in selects where !s.isDisabled {
            out += s.submittedValues.map { HTMLField(name: s.name, value: $0) }
        }
        return out + textAreas
    }
}

/// A name and a value, as a form submits them.
public struct HTMLField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An `input` element.
public struct HTMLInput: Sendable, Hashable {
    public var name: String
    /// The `type`, lower case; `text` when absent.
    public var type: String
    /// The `value`; `""` when absent (see ``hasValue``).
    public var value: String
    /// Whether the element has a `value` attribute.
    public var hasValue: Bool
    /// Whether a radio button or checkbox is `checked`.
    public var isChecked: Bool
    public var isDisabled: Bool
    public var id: String?
    /// The text of the `label` whose `for` is this input's `id`, trimmed.
    public var label: String?

    public init(name: String, type: String = "text", value: String = "", hasValue: Bool = true, isChecked: Bool = false,
                isDisabled: Bool = false, id: String? = nil, label: String? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.hasValue = hasValue
        self.isChecked = isChecked
        self.isDisabled = isDisabled
        self.id = id
        self.label = label
    }
}

/// A `select` element and its options.
public struct HTMLSelect: Sendable, Hashable {
    public var name: String
    public var id: String?
    /// `multiple`: a list box that submits every selected option.
    public var isMultiple: Bool
    public var isDisabled: Bool
    public var options: [HTMLOption]

    public init(name: String, id: String? = nil, isMultiple: Bool = false, isDisabled: Bool = false, options: [HTMLOption] = []) {
        self.name = name
        self.id = id
        self.isMultiple = isMultiple
        self.isDisabled = isDisabled
        self.options = options
    }

    /// The values a browser submits: the selected options (a single select: the last one selected, or the first
    /// option when none is).
    public var submittedValues: [String] {
        let selected = options.filter { $0.isSelected && !$0.isDisabled }.map(\.value)
        if isMultiple { return selected }
        if let last = selected.last { return [last] }
        return options.first.map { [$0.value] } ?? []
    }
}

/// An `option` of a select.
public struct HTMLOption: Sendable, Hashable {
    /// The `value`, or the option's text when it has none (as a browser submits it).
    public var value: String
    /// The option's text, trimmed.
    public var label: String
    public var isSelected: Bool
    public var isDisabled: Bool

    public init(value: String, label: String, isSelected: Bool = false, isDisabled: Bool = false) {
        self.value = value
        self.label = label
        self.isSelected = isSelected
        self.isDisabled = isDisabled
    }
}

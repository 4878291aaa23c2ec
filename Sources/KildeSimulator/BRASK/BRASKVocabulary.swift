/// The simulated BRASK form's vocabulary: the dimensions a table can have as rows or columns, and each one's
/// options as (form value, Norwegian label). The option ids and the fire-type, næring and bygningsalder sets follow
/// the seeds (`1` Varm / `2` Kald; næring `0`–`21`, `99`; 13 age brackets with ids `1`–`12`, `99`); the labels of
/// causes, ignition sources and most sectors are plausible stand-ins, not BRASK's list (DEMO DATA).
public enum BRASKVocabulary {
    /// A dimension of the pivot (`ddlRad` / `ddlKolonne` values) and the list box that filters it, if any.
    public enum Dimension: String, Sendable, CaseIterable {
        case year = "ar", month = "maned", day = "dag", cause = "arsak", source = "kilde"
        case fireType = "type", sector = "naering", buildingAge = "bygningsalder"

        public var label: String {
            switch self {
            case .year: "År"
            case .month: "Måned"
            case .day: "Dag"
            case .cause: "Årsak"
            case .source: "Tennkilde"
            case .fireType: "Type brann"
            case .sector: "Næring"
            case .buildingAge: "Bygningsalder"
            }
        }

        /// The list box (`lb…`) that filters this dimension; days are not filtered, only shown.
        public var listBox: String? {
            switch self {
            case .year: "lbAar"
            case .month: "lbMaaned"
            case .fireType: "lbType"
            case .sector: "lbNaering"
            case .buildingAge: "lbAldersgruppe"
            case .day, .cause, .source: nil
            }
        }
    }

    /// An option: the value the form posts, its label, and how often a simulated fire takes it (for the drawn
    /// dimensions).
    public struct Option: Sendable, Hashable {
        public var value: String
        public var label: String
        var weight: Int
    }

    static func options(_ list: [(String, String, Int)]) -> [Option] { list.map { Option(value: $0.0, label: $0.1, weight: $0.2) } }

    public static let months = options(["Januar", "Februar", "Mars", "April", "Mai", "Juni", "Juli", "August", "September",
                                        "Oktober", "November", "Desember"].enumerated().map { (String($0.offset + 1), $0.element, 1) })

    public static let fireTypes = options([("1", "Varm", 7), ("2", "Kald", 3)])

    public static let causes = options([
        ("1", "Elektrisk", 25), ("2", "Røyking", 6), ("3", "Påsatt", 8), ("4", "Selvantennelse", 5), ("5", "Lynnedslag", 2),
        ("6", "Åpen ild", 10), ("7", "Varme arbeider", 3), ("8", "Feil bruk av utstyr", 12), ("9", "Gnister", 4),
        ("10", "Eksplosjon", 1), ("11", "Annet", 9), ("99", "Ukjent", 15),
    ])

    public static let sources = options([
        ("1", "Komfyr", 14), ("2", "Elektrisk installasjon", 16), ("3", "Elektrisk apparat", 12), ("4", "Ildsted og pipe", 10),
        ("5", "Stearinlys", 6), ("6", "Tobakk", 5), ("7", "Varmeovn", 7), ("8", "Kjøretøy", 4), ("9", "Fyrverkeri", 1),
        ("10", "Solcelleanlegg", 1), ("11", "Lading av batteri", 3), ("12", "Grill", 2), ("13", "Annet", 8), ("99", "Ukjent", 11),
    ])

    /// Næring `0`–`21` and `99`: 23 sectors; `0` Beboelse is by far the most common.
    public static let sectors = options([
        ("0", "Beboelse", 110), ("1", "Fritidsbolig", 9), ("2", "Jordbruk og skogbruk", 7), ("3", "Fiske og havbruk", 2),
        ("4", "Bergverk", 1), ("5", "Næringsmiddelindustri", 3), ("6", "Treindustri", 2), ("7", "Kjemisk industri", 1),
        ("8", "Metallindustri", 2), ("9", "Annen industri", 4), ("10", "Kraftforsyning", 1), ("11", "Bygg og anlegg", 4),
        ("12", "Varehandel", 6), ("13", "Hotell og restaurant", 4), ("14", "Transport og lagring", 4), ("15", "Kontor og forretning", 5),
        ("16", "Offentlig forvaltning", 2), ("17", "Undervisning", 3), ("18", "Helse og omsorg", 3), ("19", "Kultur og idrett", 2),
        ("20", "Religiøse bygg", 1), ("21", "Annen næring", 3), ("99", "Ukjent", 5),
    ])

    /// The 13 bygningsalder brackets (form ids `1`–`12`, `99`).
    public static let buildingAges = options([
        ("1", "Ny", 2), ("2", "1-5", 5), ("3", "6-10", 6), ("4", "11-15", 6), ("5", "16-20", 6), ("6", "21-25", 6), ("7", "26-30", 6),
        ("8", "31-40", 10), ("9", "41-50", 10), ("10", "51-75", 14), ("11", "76-100", 8), ("12", "Over 100", 5), ("99", "Ukjent", 16),
    ])

    /// The metric radio buttons (`rblVerdi`): `1` counts fires (`value`), `2` sums damage in thousands of NOK (`value_kr`).
    public static let metrics = options([("1", "Antall skader", 1), ("2", "Erstatningsbeløp (1000 kr)", 1)])

    /// The options of a drawn (non-calendar) dimension.
    static func drawn(_ d: Dimension) -> [Option] {
        switch d {
        case .cause: causes
        case .source: sources
        case .fireType: fireTypes
        case .sector: sectors
        case .buildingAge: buildingAges
        case .year, .month, .day: []
        }
    }
}

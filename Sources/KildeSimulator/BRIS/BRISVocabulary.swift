/// What the simulated BRIS itself says, independent of Kilde's catalogue: its reporters (Police on the open
/// `/aggregate` endpoint, the fire brigades and DSB on `/restrictedaggregation`), their questions with the answer
/// labels each returns (`-1` is the missing answer), their mission types and, for the Police, the Matrikkel
/// building-type groups.
///
/// Modelled on the documented request and response shapes (HeatWaves' adapter contract); the question ids 407
/// (Police, Årsak) and 269 (Brigade, Årsak) and the four mission-type ids are documented, the rest are invented
/// for the demo. Nothing here is real data.
public struct BRISVocabulary: Sendable {
    /// The two endpoints under `…/missionreports/`.
    public enum Endpoint: String, Sendable, Hashable, CaseIterable {
        /// Police reports: every interval, building types.
        case aggregate
        /// Fire brigade and DSB reports: `interval: YEAR` only (MONTH and DAY are answered 403), no building types.
        case restrictedaggregation
    }

    /// One reporting source as the upstream knows it.
    public struct Reporter: Sendable, Hashable {
        /// Kilde's source key for it, so request counts read like the catalogue.
        public var source: String
        public var endpoint: Endpoint
        /// `revisedMissionTypes` ids this reporter answers for.
        public var missionTypes: [String]
        /// `buildingTypes` ids (Matrikkel groups); empty where the endpoint takes none.
        public var buildingGroups: [String]
    }

    /// One question (a breakdown) of a reporter, with the answer labels it buckets by.
    public struct Question: Sendable, Hashable {
        public var id: Int
        public var source: String
        /// Answer labels in the upstream's order; `-1` (no answer given) last.
        public var labels: [String]
    }

    /// The key BRIS gives missing answers.
    public static let missingAnswer = "-1"

    public let reporters: [Reporter]
    public let questions: [Question]

    public static let standard = BRISVocabulary(
        reporters: [
            Reporter(source: "bris-police", endpoint: .aggregate, missionTypes: ["10026", "10086", "10212", "10175"],
                     buildingGroups: ["0", "1", "2", "3", "4", "5", "6", "7"]),
            Reporter(source: "bris-brigade", endpoint: .restrictedaggregation, missionTypes: ["10026", "10086", "10212", "10175"], buildingGroups: []),
            Reporter(source: "bris-dsb", endpoint: .restrictedaggregation, missionTypes: ["10026", "10086", "10212"], buildingGroups: []),
        ],
        questions: [
            Question(id: 407, source: "bris-police", labels: [
                "Påsatt brann", "Røyking", "Elektrisk feil", "Feil bruk av elektrisk utstyr", "Matlaging", "Levende lys",
                "Barns lek med ild", "Selvantennelse", "Naturlig årsak", "Annen årsak", missingAnswer,
            ]),
            Question(id: 410, source: "bris-police", labels: [
                "Kjøkken", "Stue", "Soverom", "Bad og vaskerom", "Kjeller", "Loft", "Garasje og uthus", "Utvendig", "Annet rom", missingAnswer,
            ]),
            Question(id: 269, source: "bris-brigade", labels: [
                "Påsatt brann", "Røyking", "Elektrisk feil", "Komfyr og matlaging", "Levende lys", "Varme arbeider", "Selvantennelse",
                "Naturlig årsak", "Annen årsak", missingAnswer,
            ]),
            Question(id: 531, source: "bris-dsb", labels: [
                "Påsatt brann", "Elektrisk", "Menneskelig feil", "Teknisk feil", "Naturlig årsak", "Annen årsak", missingAnswer,
            ]),
        ])

    public func question(_ id: Int) -> Question? { questions.first { $0.id == id } }
    public func reporter(_ source: String) -> Reporter? { reporters.first { $0.source == source } }
}

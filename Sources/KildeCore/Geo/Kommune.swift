/// One kommune of the `kommune_dim` seed in one kommune structure: codes, names, population and centroid.
public struct Kommune: Sendable, Hashable, Codable {
    /// The kommune structure the row belongs to, named by the year it took effect, e.g. `2020` or `2024`.
    public var structure: Int
    /// The 4-digit kommune number, e.g. `0301`.
    public var number: String
    public var name: String
    /// The 2-digit fylke number: the first two digits of ``number``.
    public var fylkeNumber: String
    public var fylkeName: String
    /// Inhabitants, when the population list has the kommune.
    public var population: Int?
    /// Area-weighted centroid of the kommune's polygons, WGS84.
    public var latitude: Double
    public var longitude: Double

    public init(structure: Int, number: String, name: String, fylkeNumber: String, fylkeName: String, population: Int?,
                latitude: Double, longitude: Double) {
        self.structure = structure
        self.number = number
        self.name = name
        self.fylkeNumber = fylkeNumber
        self.fylkeName = fylkeName
        self.population = population
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// One row of the kommune crosswalk: a kommune code in use up to a structure, and the structure's kommune it became.
///
/// A structure's own kommuner map to themselves; a code with several targets was split; several codes with one
/// target in the same year were merged.
public struct KommuneCrosswalk: Sendable, Hashable, Codable {
    public var structure: Int
    public var code: String
    /// The first year the code is in use (`nil`: since before any data).
    public var validFrom: Int?
    /// The last year the code is in use (`nil`: still in use).
    public var validTo: Int?
    /// The kommune of `structure` the code's area belongs to.
    public var target: String

    public init(structure: Int, code: String, validFrom: Int?, validTo: Int?, target: String) {
        self.structure = structure
        self.code = code
        self.validFrom = validFrom
        self.validTo = validTo
        self.target = target
    }

    /// Whether the code is in use in `year`.
    public func isValid(in year: Int) -> Bool { inUse(year, from: validFrom, to: validTo) }
}

/// The versioned kommune seed: every kommune of each structure a map is drawn in, and the crosswalk from older codes.
public struct KommuneSeed: Sendable, Hashable {
    /// Identifies the seed's content, e.g. `2020+2024-<sha256 prefix>`; stored with the mart so a changed seed is visible.
    public var version: String
    public var kommuner: [Kommune]
    public var crosswalk: [KommuneCrosswalk]

    public init(version: String, kommuner: [Kommune], crosswalk: [KommuneCrosswalk]) {
        self.version = version
        self.kommuner = kommuner
        self.crosswalk = crosswalk
    }

    /// The structures the seed has, ascending.
    public var structures: [Int] { Array(Set(kommuner.map(\.structure))).sorted() }

    /// The structure data of `year` is drawn in (see ``structure(forYear:among:)``).
    public func structure(forYear year: Int) -> Int? { Self.structure(forYear: year, among: structures) }

    /// The structure data of `year` is drawn in: the latest that took effect by then, else (for years before every
    /// structure) the earliest, which older codes reach through the crosswalk.
    public static func structure(forYear year: Int, among structures: [Int]) -> Int? {
        structures.filter { $0 <= year }.max() ?? structures.min()
    }

    /// Parses the seed's two CSV files: `kommune_dim.csv`
    /// (`structure,kommune_nr,kommune_name,fylke_nr,fylke_name,population,lat,lon`) and `kommune_crosswalk.csv`
    /// (`structure,code,valid_from,valid_to,target`).
    /// - Throws: ``CatalogError`` naming the file and line of a bad row.
    public init(version: String, kommuneCSV: String, crosswalkCSV: String) throws(CatalogError) {
        func code(_ r: CSVTable.Row, _ column: String) throws(CatalogError) -> String {
            let number = try r.string(column)
            guard number.count == 4, number.allSatisfy(\.isNumber) else {
                throw CatalogError(file: r.file, line: r.line, message: "\(column) '\(number)' is not a 4-digit code")
            }
            return number
        }
        let kommuner = try CSVTable(name: "kommune_dim.csv", text: kommuneCSV).map { (r) throws(CatalogError) -> Kommune in
            let lat = try r.string("lat"), lon = try r.string("lon")
            guard let latitude = Double(lat), let longitude = Double(lon) else {
                throw CatalogError(file: r.file, line: r.line, message: "lat/lon '\(lat)', '\(lon)' are not numbers")
            }
            return Kommune(structure: try r.int("structure"), number: try code(r, "kommune_nr"), name: try r.string("kommune_name"),
                           fylkeNumber: try r.string("fylke_nr"), fylkeName: try r.string("fylke_name"),
                           population: try r.optionalInt("population"), latitude: latitude, longitude: longitude)
        }
        let crosswalk = try CSVTable(name: "kommune_crosswalk.csv", text: crosswalkCSV).map { (r) throws(CatalogError) in
            KommuneCrosswalk(structure: try r.int("structure"), code: try code(r, "code"), validFrom: try r.optionalInt("valid_from"),
                             validTo: try r.optionalInt("valid_to"), target: try code(r, "target"))
        }
        self.init(version: version, kommuner: kommuner, crosswalk: crosswalk)
    }
}

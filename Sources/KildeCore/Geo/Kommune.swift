/// One kommune of the `kommune_dim` seed (2024 structure): codes, names, population and centroid.
public struct Kommune: Sendable, Hashable, Codable {
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

    public init(number: String, name: String, fylkeNumber: String, fylkeName: String, population: Int?, latitude: Double, longitude: Double) {
        self.number = number
        self.name = name
        self.fylkeNumber = fylkeNumber
        self.fylkeName = fylkeName
        self.population = population
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// The versioned `kommune_dim` seed: every kommune of one structure year.
public struct KommuneSeed: Sendable, Hashable {
    /// Identifies the seed's content, e.g. `2024-<sha256 prefix>`; stored with the mart so a changed seed is visible.
    public var version: String
    public var kommuner: [Kommune]

    public init(version: String, kommuner: [Kommune]) {
        self.version = version
        self.kommuner = kommuner
    }

    /// Parses the seed CSV (`kommune_nr,kommune_name,fylke_nr,fylke_name,population,lat,lon`).
    /// - Throws: ``CatalogError`` naming the line of a bad row.
    public init(version: String, csv text: String) throws(CatalogError) {
        let table = try CSVTable(name: "kommune_dim.csv", text: text)
        let kommuner = try table.map { (r) throws(CatalogError) -> Kommune in
            let lat = try r.string("lat"), lon = try r.string("lon")
            guard let latitude = Double(lat), let longitude = Double(lon) else {
                throw CatalogError(file: r.file, line: r.line, message: "lat/lon '\(lat)', '\(lon)' are not numbers")
            }
            let number = try r.string("kommune_nr")
            guard number.count == 4, number.allSatisfy(\.isNumber) else {
                throw CatalogError(file: r.file, line: r.line, message: "kommune_nr '\(number)' is not a 4-digit code")
            }
            return Kommune(number: number, name: try r.string("kommune_name"), fylkeNumber: try r.string("fylke_nr"),
                           fylkeName: try r.string("fylke_name"), population: try r.optionalString("population").flatMap { Int($0) },
                           latitude: latitude, longitude: longitude)
        }
        self.init(version: version, kommuner: kommuner)
    }
}

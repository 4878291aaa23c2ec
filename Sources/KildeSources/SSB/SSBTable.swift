import KildeCore

/// What Kilde knows about the shape of one SSB table: which variable is the region, which the
/// contents and which the time, and the code SSB uses for the whole country.
public struct SSBTable: Sendable, Hashable {
    public var tableID: String
    public var regionVariable: String
    /// Stored as `region_code` NULL (NULL-as-ALL).
    public var nationalCode: String
    public var contentsVariable: String
    public var timeVariable: String

    public init(tableID: String, regionVariable: String, nationalCode: String, contentsVariable: String = "ContentsCode", timeVariable: String = "Tid") {
        self.tableID = tableID
        self.regionVariable = regionVariable
        self.nationalCode = nationalCode
        self.contentsVariable = contentsVariable
        self.timeVariable = timeVariable
    }

    /// Table 12058, fires by kommune (KOSTRA): `KOKkommuneregion0000` with `EAK` for the whole country.
    public static let fires12058 = SSBTable(tableID: "12058", regionVariable: "KOKkommuneregion0000", nationalCode: "EAK")

    /// Table 08764, children in low-income households (EU-60): `Region` with `0` for the whole country.
    public static let lowIncomeChildren08764 = SSBTable(tableID: "08764", regionVariable: "Region", nationalCode: "0")

    /// The stored contents codes of a dimension that stand for no building-type filter (e.g. all buildings):
    /// what a slice with building type NULL asks for.
    public func contentsWithoutBuildingType(source: Int, dim: Int, registry: Registry) -> [String] {
        registry.categories(source: source, dim: dim)
            .filter { !$0.isNativeOnly && registry.filter(source: source, axis: .buildingType, nativeCode: $0.nativeAPICode) == nil }
            .map(\.nativeAPICode)
    }
}

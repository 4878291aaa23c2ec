import KildeCore

/// Catalogue lookups as the HTTP edge answers them: a miss is a 400 problem naming the parameter at fault.
extension Registry {
    /// The dataset `key` names.
    /// - Throws: ``APIError`` 400 on `dataset`, listing the known datasets.
    func apiDataset(key: String) throws(APIError) -> DatasetDefinition {
        guard let ds = dataset(key: key) else {
            throw .invalidParameter("dataset", "unknown dataset '\(key)' (known: \(catalog.datasets.map(\.key).joined(separator: ", ")))")
        }
        return ds
    }

    /// ``filterIDs(tokens:source:dimCode:)`` for the read API and the admin ingest alike.
    /// - Throws: ``APIError`` 400 naming the axis whose tokens are at fault.
    func apiFilterIDs(tokens: [FilterAxis: [String]], source: Int, dimCode: Int) throws(APIError) -> [FilterAxis: [Int]] {
        do {
            return try filterIDs(tokens: tokens, source: source, dimCode: dimCode)
        } catch {
            throw .invalidParameter(error.axis.rawValue, error.description)
        }
    }
}

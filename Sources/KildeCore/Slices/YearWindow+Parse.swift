extension YearWindow {
    /// Parses `2023` or `2015-2024` (spaces around the numbers allowed); `nil` for anything else, including
    /// years outside 1000…9999.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
        guard (1...2).contains(parts.count), let a = parts.first ?? nil, let b = parts.last ?? nil,
              (1000...9999).contains(a), (1000...9999).contains(b) else { return nil }
        self.init(first: a, last: b)
    }
}

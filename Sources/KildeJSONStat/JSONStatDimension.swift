/// One dimension of a JSON-stat dataset, with its categories in index order.
public struct JSONStatDimension: Sendable {
    /// The dimension id, as listed in the dataset's `id`.
    public var id: String
    /// The dimension label, when given.
    public var label: String?
    /// The dimension's role: `"time"`, `"geo"`, `"metric"` (or another role key the document uses), or `nil`.
    public var role: String?
    /// The categories, ordered by their index position.
    public var categories: [JSONStatCategory] {
        didSet { positions = Self.positions(of: categories) }
    }

    private var positions: [String: Int]

    /// Creates a dimension from categories already in index order.
    public init(id: String, label: String? = nil, role: String? = nil, categories: [JSONStatCategory]) {
        self.id = id
        self.label = label
        self.role = role
        self.categories = categories
        self.positions = Self.positions(of: categories)
    }

    /// A dimension whose category positions the caller has already indexed (one entry per id).
    init(id: String, label: String?, role: String?, categories: [JSONStatCategory], positions: [String: Int]) {
        self.id = id
        self.label = label
        self.role = role
        self.categories = categories
        self.positions = positions
    }

    /// The number of categories (the dimension's size).
    public var count: Int { categories.count }

    /// The index position of a category id, or `nil` if the dimension has no such category.
    public func position(of categoryID: String) -> Int? {
        positions[categoryID]
    }

    /// The category with the given id, if any.
    public func category(id categoryID: String) -> JSONStatCategory? {
        positions[categoryID].map { categories[$0] }
    }

    private static func positions(of categories: [JSONStatCategory]) -> [String: Int] {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(categories.count)
        for (position, category) in categories.enumerated() where positions[category.id] == nil {
            positions[category.id] = position
        }
        return positions
    }
}

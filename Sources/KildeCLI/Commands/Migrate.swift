import ArgumentParser
import KildeStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply schema migrations and load the catalogue into the registry tables.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await reporting {
            let registry = try store.registry()
            let report = try await withStore(store) { try await $0.migrate(catalog: registry.catalog) }
            let location = try store.location
            if store.json {
                printOut("{\"store\":\(TextTable.jsonString(location.description)),\"applied\":[\(report.applied.map(TextTable.jsonString).joined(separator: ","))],\"already_applied\":\(report.alreadyApplied),\"registry_rows\":\(report.registryRows)}\n")
            } else {
                printOut("\(location): \(report.applied.isEmpty ? "schema up to date" : "applied \(report.applied.joined(separator: ", "))"); \(report.registryRows) catalogue rows loaded\n")
            }
        }
    }
}

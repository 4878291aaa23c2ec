import ArgumentParser

/// `kilde`: ingest public statistics into one trustworthy fact store.
@main
struct Kilde: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kilde",
        abstract: "Ingest public statistics (any PxWeb host: SSB, Statistics Sweden, …) into one fact store and query it.",
        discussion: """
            Start with `kilde up`: it migrates the embedded store, ingests the default datasets and prints what was stored.
            Without network access (or with --demo) it runs against the built-in simulator into a separate demo store.

            Exit codes: 0 ok; 1 a run finished with failed slices; 2 usage error; 3 store error;
            4 upstream or planning error; 5 another run is active on the same slices.
            """,
        subcommands: [Up.self, Serve.self, WorkerCommand.self, Migrate.self, Plan.self, Ingest.self, Enqueue.self, Jobs.self, Runs.self, Run.self, Assets.self, Query.self, Reconcile.self, CatalogCommand.self, Add.self, Decode.self, Sim.self])
}

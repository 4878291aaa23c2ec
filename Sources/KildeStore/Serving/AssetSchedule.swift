import Foundation
import KildeCore

/// When an asset is materialised: a dataset on its catalogue cron line in its time zone, a mart after the datasets
/// it reads.
public struct AssetSchedule: Sendable, Hashable {
    /// The cron line; `nil` for a mart.
    public var cron: String?
    public var timeZone: String?
    /// The next time the cron line fires; `nil` for a mart, or when it never fires or is not valid (``problem``).
    public var nextRun: Date?
    /// Why a dataset's schedule has no next run: its cron line or time zone is not valid.
    public var problem: String?
    /// The assets that must materialise first (a mart's input datasets).
    public var dependsOn: [String]
    /// How a queued materialisation is retried (a dataset's options `retries`, `retry_backoff`); `nil` for a mart.
    public var retry: AssetRetryPolicy? = nil
    /// The release sensor that queues it when the upstream publishes (option `sensor`); `nil` when it has none.
    public var sensor: ReleaseSensor? = nil
}

extension AssetStatus {
    /// The asset's schedule under `registry`, the next run counted from `now`.
    public func schedule(registry: Registry, now: Date) -> AssetSchedule {
        if let ds = registry.dataset(key: key) {
            var s = AssetSchedule(cron: ds.schedule, timeZone: ds.scheduleTimeZone, nextRun: nil, problem: nil, dependsOn: [])
            do { s.nextRun = try ds.nextScheduledRun(after: now) } catch { s.problem = error.description }
            do {
                s.retry = try ds.retryPolicy()
                s.sensor = try ds.releaseSensor()
            } catch {
                s.problem = [s.problem, error.description].compactMap { $0 }.joined(separator: "; ")
            }
            return s
        }
        return AssetSchedule(cron: nil, timeZone: nil, nextRun: nil, problem: nil,
                             dependsOn: kind == .mart ? Set(registry.indicators.map(\.dataset)).sorted() : [])
    }
}

import Foundation

/// How often a queued materialisation of an asset is tried, and how long to wait between tries: exponential
/// backoff with jitter. Read from a dataset's options `retries` (attempts in all, default 3) and `retry_backoff`
/// (seconds before the second attempt, default 60; each later wait doubles, up to an hour).
public struct AssetRetryPolicy: Sendable, Hashable, Codable {
    /// Attempts in all, the first included.
    public var attempts: Int
    /// The wait before the second attempt, in seconds.
    public var backoffSeconds: Double
    /// The longest wait between two attempts, in seconds.
    public var maxBackoffSeconds: Double

    public init(attempts: Int = 3, backoffSeconds: Double = 60, maxBackoffSeconds: Double = 3600) {
        self.attempts = attempts
        self.backoffSeconds = backoffSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
    }

    /// The wait after attempt `attempt` (1-based) failed: `backoff · 2^(attempt−1)`, capped, then jittered into its
    /// upper half so workers that failed together do not retry together.
    /// - Parameter random: a number in 0..<1 (injected so tests are deterministic).
    public func delay(afterAttempt attempt: Int, random: Double) -> Double {
        let step = min(backoffSeconds * pow(2, Double(min(max(attempt - 1, 0), 30))), maxBackoffSeconds)
        return step * (0.5 + 0.5 * min(max(random, 0), 1))
    }
}

/// What a release sensor polls to learn that an upstream published a new release.
public struct ReleaseSensor: Sendable, Hashable, Codable {
    /// The upstream signal the sensor watches.
    public enum Signal: String, Sendable, Hashable, Codable {
        /// A PxWeb table's `updated` timestamp (SSB publishes no `nextUpdate`).
        case updated
    }

    public var signal: Signal
    /// Seconds between two polls.
    public var intervalSeconds: Double

    public init(signal: Signal = .updated, intervalSeconds: Double = 900) {
        self.signal = signal
        self.intervalSeconds = intervalSeconds
    }
}

/// Why a dataset's orchestration options cannot be read.
public struct OrchestrationOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var dataset: String
    public var option: String
    public var reason: String
    public var description: String { "dataset \(dataset): option \(option) \(reason)" }

    public init(dataset: String, option: String, reason: String) {
        self.dataset = dataset
        self.option = option
        self.reason = reason
    }
}

extension DatasetDefinition {
    /// The dataset's retry policy (options `retries`, `retry_backoff`).
    /// - Throws: ``OrchestrationOptionError`` for a value that is not a positive number.
    public func retryPolicy() throws(OrchestrationOptionError) -> AssetRetryPolicy {
        var policy = AssetRetryPolicy()
        if let text = options["retries"] {
            guard let n = Int(text), (1...100).contains(n) else {
                throw OrchestrationOptionError(dataset: key, option: "retries=\(text)", reason: "must be a whole number of attempts from 1 to 100")
            }
            policy.attempts = n
        }
        if let text = options["retry_backoff"] {
            guard let s = Double(text), s.isFinite, s >= 0 else {
                throw OrchestrationOptionError(dataset: key, option: "retry_backoff=\(text)", reason: "must be seconds, 0 or more")
            }
            policy.backoffSeconds = s
        }
        return policy
    }

    /// The dataset's release sensor (option `sensor=updated`, polled every `sensor_interval` seconds, default 900);
    /// `nil` when it has none.
    /// - Throws: ``OrchestrationOptionError`` for an unknown signal or an interval under one second.
    public func releaseSensor() throws(OrchestrationOptionError) -> ReleaseSensor? {
        guard let text = options["sensor"] else { return nil }
        guard let signal = ReleaseSensor.Signal(rawValue: text) else {
            throw OrchestrationOptionError(dataset: key, option: "sensor=\(text)", reason: "is not a known signal (updated)")
        }
        var sensor = ReleaseSensor(signal: signal)
        if let interval = options["sensor_interval"] {
            guard let s = Double(interval), s.isFinite, s >= 1 else {
                throw OrchestrationOptionError(dataset: key, option: "sensor_interval=\(interval)", reason: "must be seconds, at least 1")
            }
            sensor.intervalSeconds = s
        }
        return sensor
    }
}

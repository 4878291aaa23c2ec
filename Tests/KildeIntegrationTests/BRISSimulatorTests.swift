import Foundation
import KildeCore
import KildeSimulator
import KildeUpstream
import Testing

/// The simulated BRIS answers the documented bodies in the documented shape, over loopback, through Kilde's own HTTP
/// client. Expected keys are computed with Foundation's calendar, not the simulator's date code.
@Suite("BRIS simulator", .serialized)
struct BRISSimulatorTests {
    static func post(_ env: TestEnvironment, _ endpoint: String, _ body: String) async throws -> UpstreamResponse {
        try await env.fetcher.fetch(UpstreamRequest(method: "POST", url: env.sim.baseURL + "/bris/api/v1/missionreports/\(endpoint)",
                                                    headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
    }

    static func body(question: Int, interval: String, missions: [String]? = ["10086"], buildings: [String]? = nil,
                     range: (String, String)? = nil) -> String {
        var parts = ["\"questionId\":\(question)",
                     "\"nextLevelAggregationDefinition\":{\"name\":\"MISSION_CALL_TIME_\(interval)\",\"type\":\"DATE_HISTOGRAM\",\"interval\":\"\(interval)\"}"]
        if let missions { parts.append("\"revisedMissionTypes\":{\"ids\":[\(missions.map { "\"\($0)\"" }.joined(separator: ","))]}") }
        if let buildings { parts.append("\"buildingTypes\":[\(buildings.map { "\"\($0)\"" }.joined(separator: ","))]") }
        if let range { parts.append("\"dateRange\":{\"start\":\"\(range.0)\",\"end\":\"\(range.1)\"}") }
        return "{\(parts.joined(separator: ","))}"
    }

    /// Buckets as label → (count, series key → count).
    static func buckets(_ r: UpstreamResponse) throws -> (buckets: [String: (count: Int, series: [String: Int])], total: Int, notice: String?) {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let result = try #require((o["result"] as? [[String: Any]])?.first)
        var out: [String: (count: Int, series: [String: Int])] = [:]
        for (label, value) in try #require(result["buckets"] as? [String: [String: Any]]) {
            let series = try #require(value["subAggregationBuckets"] as? [String: [String: Any]])
            #expect(value["calculatedSubAggregationValues"] as? [Any] != nil && value["value"] is NSNull)
            out[label] = (try #require(value["count"] as? Int), try series.mapValues { try #require($0["count"] as? Int) })
        }
        return (out, try #require(result["total"] as? Int), o["notice"] as? String)
    }

    /// UTC midnight of each period start from `first` to `last`, as epoch-millisecond keys.
    static func keys(_ component: Calendar.Component, from first: String, to last: String) throws -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.dateFormat = "yyyy-MM-dd"
        var d = try #require(f.date(from: first))
        let end = try #require(f.date(from: last))
        var out: [String] = []
        while d <= end {
            out.append(String(Int64(d.timeIntervalSince1970 * 1000)))
            d = try #require(calendar.date(byAdding: component, value: 1, to: d))
        }
        return out
    }

    @Test func yearlyAnswerHasTheDocumentedShape() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let r = try await Self.post(env, "aggregate", Self.body(question: 407, interval: "YEAR", buildings: ["0"]))
            #expect(r.isDemo)
            let (buckets, total, notice) = try Self.buckets(r)
            #expect(notice?.contains("DEMO DATA") == true)
            let labels = try #require(BRISVocabulary.standard.question(407)).labels
            #expect(Set(buckets.keys) == Set(labels), "every label has missions over ten years, -1 included")
            let years = try Self.keys(.year, from: "2016-01-01", to: "2025-01-01")
            for (label, b) in buckets {
                #expect(Set(b.series.keys) == Set(years), "\(label): one key per year, UTC midnight of 1 January")
                #expect(b.count == b.series.values.reduce(0, +))
            }
            #expect(total == buckets.values.map(\.count).reduce(0, +))
        }
    }

    /// Days sum to months sum to years; DAY zero-pads every calendar day (366 in 2024).
    @Test func grainsAreConsistent() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            var answers: [String: [String: (count: Int, series: [String: Int])]] = [:]
            for interval in ["YEAR", "MONTH", "DAY"] {
                let r = try await Self.post(env, "aggregate", Self.body(question: 410, interval: interval, missions: nil, range: ("2024-01-01", "2024-12-31")))
                answers[interval] = try Self.buckets(r).buckets
            }
            let months = try Self.keys(.month, from: "2024-01-01", to: "2024-12-01"), days = try Self.keys(.day, from: "2024-01-01", to: "2024-12-31")
            #expect(days.count == 366)
            for (label, year) in try #require(answers["YEAR"]) {
                let month = try #require(answers["MONTH"]?[label]), day = try #require(answers["DAY"]?[label])
                #expect(Set(month.series.keys) == Set(months) && Set(day.series.keys) == Set(days), "\(label)")
                #expect(year.series.values.reduce(0, +) == month.series.values.reduce(0, +))
                #expect(month.series.values.reduce(0, +) == day.series.values.reduce(0, +))
                for (i, m) in months.enumerated() {
                    let inMonth = days.filter { $0 >= m && (i + 1 == months.count || $0 < months[i + 1]) }
                    #expect(month.series[m] == inMonth.map { day.series[$0] ?? -1 }.reduce(0, +), "\(label) \(m)")
                }
                #expect(day.series.values.contains(0), "\(label): quiet days are there, as zeros")
            }
        }
    }

    @Test func restrictedEndpointAnswersYearsOnly() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let year = try await Self.post(env, "restrictedaggregation", Self.body(question: 269, interval: "YEAR"))
            #expect(try Self.buckets(year).buckets["-1"] != nil)
            for interval in ["MONTH", "DAY"] {
                let e = await #expect(throws: UpstreamError.self) { try await Self.post(env, "restrictedaggregation", Self.body(question: 269, interval: interval)) }
                #expect(e?.status == 403)
                #expect(e?.attempts == 1)
            }
            let refusals = [
                ("restrictedaggregation", Self.body(question: 531, interval: "YEAR", buildings: ["0"]), "buildingTypes is not accepted"),
                ("restrictedaggregation", Self.body(question: 407, interval: "YEAR"), "answered by /aggregate"),
                ("aggregate", Self.body(question: 407, interval: "YEAR", missions: ["99999"]), "mission type 99999"),
                ("aggregate", "{\"questionId\":407,\"interval\":\"YEAR\"}", "unknown field 'interval'"),
                ("aggregate", Self.body(question: 1, interval: "YEAR"), "question 1 is not simulated"),
            ]
            for (endpoint, body, says) in refusals {
                let e = await #expect(throws: UpstreamError.self) { try await Self.post(env, endpoint, body) }
                #expect(e?.status == 400)
                #expect(e?.reason.contains(says) == true, "\(e?.reason ?? "")")
            }
            let stats = try JSONSerialization.jsonObject(with: Data(try await env.fetcher.fetch(UpstreamRequest(url: env.sim.baseURL + "/_sim/stats")).body)) as? [String: Any]
            let counts = stats?["data_requests"] as? [String: Int]
            // Counted under the question's reporter; a body without a known question under "bris".
            #expect(counts == ["bris-brigade": 3, "bris-dsb": 1, "bris-police": 2, "bris": 2])
        }
    }

    /// The revise knob raises exactly the chosen days, and the fault moves the missing answers for one answer only.
    @Test func reviseKnobAndMissingAnswerFault() async throws {
        try await TestEnvironment.with(.sqlite) { env in
            let body = Self.body(question: 410, interval: "DAY", missions: nil, range: ("2025-01-01", "2025-12-31"))
            let before = try Self.buckets(try await Self.post(env, "aggregate", body))
            await env.state.setRevised(true)
            let after = try Self.buckets(try await Self.post(env, "aggregate", body))
            var revisedDays = 0
            for (label, b) in after.buckets {
                for (key, n) in b.series {
                    let day = CivilDate.utc(epochMilliseconds: try #require(Int64(key))).date
                    let chosen = BRISGenerator.isRevised(question: 410, label: label, day: day)
                    let old = before.buckets[label]?.series[key] ?? 0
                    // One more mission per mission type (4) and building group (8 Matrikkel groups and none) asked for.
                    #expect(n - old == (chosen ? 4 * 9 : 0), "\(label) \(day)")
                    if chosen { revisedDays += 1 }
                }
            }
            #expect(revisedDays > 0)
            await env.state.setRevised(false)
            await env.state.inject(.missingAnswerRenamed, times: 1)
            let faulted = try Self.buckets(try await Self.post(env, "restrictedaggregation", Self.body(question: 531, interval: "YEAR")))
            let next = try Self.buckets(try await Self.post(env, "restrictedaggregation", Self.body(question: 531, interval: "YEAR")))
            #expect(faulted.buckets["-1"] == nil && faulted.buckets["-99"]?.series == next.buckets["-1"]?.series)
            #expect(faulted.total == next.total)
        }
    }
}

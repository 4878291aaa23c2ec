import Testing
@testable import KildeUpstream

/// Which window a request counts against: the longest source base URL it lies under, else its host.
@Suite("Rate limits per upstream")
struct RateLimiterTests {
    static let limiter = RateLimiter(limits: [
        "http://127.0.0.1:8089": 30,          // SSB behind the simulator
        "http://127.0.0.1:8089/brask": 20,
        "http://127.0.0.1:8089/bris/": 60,
        "https://data.ssb.no": 30,
        "scb.example": 10,                    // a bare host
    ], defaultPerMinute: 600)

    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var host: String
        var key: String
        var perMinute: Int
        var testDescription: String { url }
    }

    static let cases: [Case] = [
        Case(url: "http://127.0.0.1:8089/brask/", host: "127.0.0.1", key: "127.0.0.1:8089/brask", perMinute: 20),
        Case(url: "http://127.0.0.1:8089/bris/api/v1/missionreports/aggregate", host: "127.0.0.1", key: "127.0.0.1:8089/bris", perMinute: 60),
        Case(url: "http://127.0.0.1:8089/api/pxwebapi/v2/tables/12058/data?lang=no", host: "127.0.0.1", key: "127.0.0.1:8089", perMinute: 30),
        Case(url: "http://127.0.0.1:8089/braskish", host: "127.0.0.1", key: "127.0.0.1:8089", perMinute: 30),
        Case(url: "http://127.0.0.1:80891/x", host: "127.0.0.1", key: "127.0.0.1", perMinute: 600),
        Case(url: "https://data.ssb.no/api/v0/no/table/12058", host: "data.ssb.no", key: "data.ssb.no", perMinute: 30),
        Case(url: "https://scb.example/api", host: "scb.example", key: "scb.example", perMinute: 10),
        Case(url: "https://elsewhere.example/", host: "elsewhere.example", key: "elsewhere.example", perMinute: 600),
    ]

    @Test(arguments: cases)
    func window(_ c: Case) async {
        let (key, perMinute) = await Self.limiter.limit(url: c.url, host: c.host)
        #expect(key == c.key && perMinute == c.perMinute, "\(key) \(perMinute)")
    }
}

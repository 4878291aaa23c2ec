@testable import KildeStore
import Testing

/// Where the default store lands: `$HOME` first, so a container, CI or a sandbox that sets it elsewhere is obeyed.
struct StoreLocationTests {
    @Test(arguments: [
        (["HOME": "/tmp/h"], "/tmp/h/.local/share/kilde/kilde.sqlite"),
        (["HOME": "/tmp/h", "XDG_DATA_HOME": "/data"], "/data/kilde/kilde.sqlite"),
        (["HOME": "/tmp/h", "KILDE_HOME": "~/k"], "/tmp/h/k/kilde.sqlite"),
        (["HOME": "/tmp/h", "KILDE_HOME": "/srv/kilde"], "/srv/kilde/kilde.sqlite"),
    ] as [([String: String], String)])
    func defaultPathFollowsHome(_ env: [String: String], _ path: String) {
        #expect(StoreLocation.defaultPath(demo: false, environment: env) == path)
    }

    @Test func tildeUsesHome() {
        #expect(StoreLocation.expandingTilde("~/x.sqlite", ["HOME": "/tmp/h"]) == "/tmp/h/x.sqlite")
        #expect(StoreLocation.expandingTilde("~", ["HOME": "/tmp/h"]) == "/tmp/h")
        #expect(StoreLocation.expandingTilde("./x.sqlite", ["HOME": "/tmp/h"]) == "./x.sqlite")
        #expect(StoreLocation.expandingTilde("~other/x", ["HOME": "/tmp/h"]) == "~other/x")
    }
}

import Foundation
import HeraldTestSupport
import Testing
import HeraldState

@Suite("Per-URL validators and robots.txt cache")
struct URLAndRobotsStateTests {
    @Test func validatorsRoundTripAndUpdate() throws {
        let dir = TestPaths.temporaryDirectory("state")
        let store = try SQLiteStateStore(directory: dir)
        let fetched = Date(timeIntervalSince1970: 1_790_000_000.5)
        let state = URLState(url: "https://news.example/a?id=1", etag: "W/\"abc\"",
                             lastModified: "Tue, 03 Nov 2026 10:00:00 GMT", lastFetchedAt: fetched,
                             httpStatus: 200, contentHash: "sha256:" + String(repeating: "a", count: 64))
        #expect(try store.urlState(state.url) == nil)
        try store.saveURLState(state)
        try store.close()

        let reopened = try SQLiteStateStore(directory: dir)
        #expect(try reopened.urlState(state.url) == state)
        var updated = state
        updated.etag = nil
        updated.httpStatus = 304
        try reopened.saveURLState(updated)
        #expect(try reopened.urlState(state.url) == updated)
        #expect(try reopened.urlState("https://news.example/a?id=2") == nil)
    }

    @Test func robotsEntryExpiresAfterADay() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("state"))
        let fetched = Date(timeIntervalSince1970: 1_790_000_000)
        let entry = RobotsCacheEntry(origin: "https://news.example", httpStatus: 200,
                                     body: "User-agent: *\nDisallow: /private\n", fetchedAt: fetched)
        try store.saveRobots(entry)
        #expect(try store.robots(origin: "https://news.example", at: fetched.addingTimeInterval(60)) == entry)
        #expect(try store.robots(origin: "https://news.example", at: fetched.addingTimeInterval(23 * 3600 + 3599)) != nil)
        #expect(try store.robots(origin: "https://news.example", at: fetched.addingTimeInterval(24 * 3600)) == nil)
        #expect(try store.robots(origin: "https://other.example", at: fetched) == nil)

        // A fresh fetch replaces the expired answer.
        let refreshed = RobotsCacheEntry(origin: "https://news.example", httpStatus: 404, body: "",
                                         fetchedAt: fetched.addingTimeInterval(25 * 3600))
        try store.saveRobots(refreshed)
        #expect(try store.robots(origin: "https://news.example", at: fetched.addingTimeInterval(26 * 3600)) == refreshed)
    }
}

@Suite("Batched URL state saves")
struct URLStateBatchTests {
    @Test func manyStatesInOneCallAreAllStored() throws {
        let store = try SQLiteStateStore(directory: TestPaths.temporaryDirectory("state"))
        let states = (0..<500).map { URLState(url: "https://news.example/\($0)", etag: "\"\($0)\"", httpStatus: 200) }
        try store.saveURLStates(states)
        #expect(try store.urlState("https://news.example/0") == states[0])
        #expect(try store.urlState("https://news.example/499")?.etag == "\"499\"")
        try store.saveURLStates([])
    }
}

import Foundation
import HeraldDaemon
import HeraldTestSupport
import Testing

@Suite("ServiceNotifier: sd_notify over a datagram socket")
struct ServiceNotifierTests {
    @Test("the service manager receives ready, status, watchdog, reloading, stopping in order")
    func messagesArriveInOrder() async throws {
        let dir = TestPaths.temporaryDirectory("notify")
        let manager = try ServiceManagerSocket(address: dir.appendingPathComponent("notify.sock").path)
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": manager.address])
        #expect(notifier.isEnabled)

        try notifier.ready(status: "crawling 3 sites")
        try notifier.status("lbci: 12 pages\nnext run 14:45")
        try notifier.watchdog()
        try notifier.reloading()
        try notifier.ready()
        try notifier.stopping()

        #expect(await manager.receive() == "READY=1\nSTATUS=crawling 3 sites")
        #expect(await manager.receive() == "STATUS=lbci: 12 pages next run 14:45")
        #expect(await manager.receive() == "WATCHDOG=1")
        let reloading = try #require(await manager.receive()).split(separator: "\n")
        #expect(reloading.first == "RELOADING=1")
        #expect(reloading.count == 2 && reloading[1].hasPrefix("MONOTONIC_USEC=") && UInt64(reloading[1].dropFirst(15)) != nil)
        #expect(await manager.receive() == "READY=1")
        #expect(await manager.receive() == "STOPPING=1")
    }

    @Test("an @ address reaches a socket in the abstract namespace")
    func abstractNamespace() async throws {
        let manager = try ServiceManagerSocket(address: "@herald-test-\(UUID().uuidString)")
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": manager.address])
        try notifier.ready()
        #expect(await manager.receive() == "READY=1")
    }

    @Test("without NOTIFY_SOCKET every call is a silent no-op")
    func disabled() throws {
        let notifier = ServiceNotifier(environment: ["WATCHDOG_USEC": "1000000"])
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogInterval == nil)
        try notifier.ready()
        try notifier.stopping()
    }

    @Test("the watchdog interval is half of WATCHDOG_USEC, and off when WATCHDOG_PID is another process")
    func watchdogInterval() {
        let base = ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000"]
        #expect(ServiceNotifier(environment: base).watchdogInterval == .seconds(15))
        let me = String(ProcessInfo.processInfo.processIdentifier)
        #expect(ServiceNotifier(environment: base.merging(["WATCHDOG_PID": me]) { $1 }).watchdogInterval == .seconds(15))
        #expect(ServiceNotifier(environment: base.merging(["WATCHDOG_PID": "1"]) { $1 }).watchdogInterval == nil)
        #expect(ServiceNotifier(environment: ["NOTIFY_SOCKET": "/x"]).watchdogInterval == nil)
    }

    @Test("keepAlive pings at the watchdog interval until cancelled")
    func keepAlive() async throws {
        let dir = TestPaths.temporaryDirectory("notify")
        let manager = try ServiceManagerSocket(address: dir.appendingPathComponent("wd.sock").path)
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": manager.address, "WATCHDOG_USEC": "100000"])
        let task = Task { await notifier.keepAlive() }
        #expect(await manager.receive() == "WATCHDOG=1")
        #expect(await manager.receive() == "WATCHDOG=1")
        task.cancel()
        await task.value
    }

    @Test("a manager socket that is not there is a clear error naming it")
    func missingSocket() {
        let path = TestPaths.temporaryDirectory("notify").appendingPathComponent("gone.sock").path
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect {
            try notifier.ready()
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("sendto")
        }
    }
}

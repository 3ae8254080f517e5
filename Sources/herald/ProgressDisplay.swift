import Foundation

/// The progress line on a terminal: redrawn in place (`\r`, erase line) at most five times a
/// second, erased before the summary.
final class ProgressDisplay: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ line: String) {
        guard enabled else { return }
        lock.withLock {
            let now = ContinuousClock.now
            guard now - lastDraw >= .milliseconds(200) else { return }
            lastDraw = now
            drawn = true
            FileHandle.standardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
        }
    }

    func clear() {
        lock.withLock {
            guard drawn else { return }
            drawn = false
            FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
        }
    }
}

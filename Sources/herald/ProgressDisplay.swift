import Foundation
import Synchronization

/// The progress line on a terminal: redrawn in place (`\r`, erase line) at most five times a
/// second, erased before the summary.
final class ProgressDisplay: Sendable {
    let enabled: Bool
    private struct Screen {
        var lastDraw = ContinuousClock.now - .seconds(1)
        var drawn = false
    }
    private let screen = Mutex(Screen())

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ line: String) {
        guard enabled else { return }
        screen.withLock { screen in
            let now = ContinuousClock.now
            guard now - screen.lastDraw >= .milliseconds(200) else { return }
            screen.lastDraw = now
            screen.drawn = true
            FileHandle.standardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
        }
    }

    func clear() {
        screen.withLock { screen in
            guard screen.drawn else { return }
            screen.drawn = false
            FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
        }
    }
}

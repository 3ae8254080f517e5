import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process writing a run, recorded in the index so that a reader can tell a run still in
/// progress from one whose process died (`kill -9`, power loss) before writing its run-end event.
enum WriterProcess {
    static var currentPID: Int32 { ProcessInfo.processInfo.processIdentifier }

    static let hostName: String = {
        let name = (try? String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return name.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
    }()

    /// Whether the writer of `run` may still be running. A run written on another host is
    /// assumed alive: this host cannot check it.
    static func isAlive(_ run: RunSummary) -> Bool {
        guard run.outcome == nil else { return false }
        if run.host != hostName { return true }
        guard run.pid > 0 else { return false }
        if run.pid == currentPID { return true }
        // Signal 0 only checks; EPERM means the process exists under another user.
        return kill(run.pid, 0) == 0 || errno == EPERM
    }
}

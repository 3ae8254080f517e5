import Foundation
import HeraldConfig
import HeraldDaemon
#if canImport(Glibc)
import Glibc
#endif

/// The `herald crawl` side of handing a run to a running daemon: sends the crawl over the
/// control socket, shows the daemon's progress lines on a terminal, prints its summary and
/// returns the run's exit status. Used only when the command's paths are the configuration's
/// (no `--spool`/`--state`/`--log-dir`/`--crawls-dir`), so the run lands where the user expects.
enum DaemonHandoff {
    /// The exit status of the run the daemon executed, or nil when no daemon answers on the
    /// control socket (then the caller crawls in the foreground). A socket this user may not
    /// reach is a refusal (exit 1), never a reason to crawl beside a daemon that may be running.
    static func run(definitionFile: URL, config: HeraldConfiguration, maxPages: Int?) async -> Int32? {
        let socket = config.controlSocket.path
        if let refusal = ReadAccess.refusal(config.controlSocket, what: "the daemon's control socket", write: true) {
            FileHandleStderr.write("herald crawl: \(refusal)\n")
            return 1
        }
        guard FileManager.default.fileExists(atPath: socket) else { return nil }
        let request = ControlRequest.crawl(definitionFile.standardizedFileURL.path, maxPages: maxPages)
        return await ControlClient.onOwnThread { exchange(socket: socket, request: request) }
    }

    private static func exchange(socket: String, request: ControlRequest) -> Int32? {
        let terminal = isatty(STDOUT_FILENO) == 1
        var status: Int32?
        var accepted = false
        let progress = ProgressDisplay(enabled: terminal)
        do {
            try ControlClient.exchange(path: socket, request: request) { response in
                switch response {
                case .accepted(let taken):
                    accepted = true
                    var message = "herald crawl: handed to the running daemon (pid \(taken.pid))"
                    if let note = taken.message { message += "; \(note)" }
                    FileHandleStderr.write(message + "\n")
                case .progress(let update):
                    progress.show(update.line)
                case .end(let report):
                    progress.clear()
                    if report.exitStatus == 0 {
                        FileHandle.standardOutput.write(Data((report.summary + "\n").utf8))
                    } else {
                        FileHandleStderr.write(report.summary + "\n")
                    }
                    status = report.exitStatus
                    return false
                case .error(let refusal):
                    FileHandleStderr.write("herald crawl: the daemon refused the crawl: \(refusal.message)\n")
                    status = refusal.exitStatus ?? 1
                    return false
                case .pong, .status:
                    break
                }
                return true
            }
        } catch ControlSocketError.notRunning {
            return nil
        } catch {
            FileHandleStderr.write("herald crawl: cannot follow the run in the daemon: \(error)\n")
            return 1
        }
        if let status { return status }
        progress.clear()
        FileHandleStderr.write(accepted
            ? "herald crawl: the daemon closed the connection before the run ended (is it stopping?)\n"
            : "herald crawl: the daemon gave no answer\n")
        return 1
    }
}

extension PathOptions {
    /// Whether the flags send the run's output elsewhere than the configuration says (then
    /// the daemon, which writes where the configuration says, cannot take the run).
    var redirectsData: Bool {
        spool != nil || state != nil || logDir != nil
    }
}

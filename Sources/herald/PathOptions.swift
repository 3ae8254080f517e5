import ArgumentParser
import HeraldConfig

/// The flags that override path settings of the configuration file (SPEC: every path setting
/// can be overridden by a flag). Relative values are taken from the working directory.
struct PathOptions: ParsableArguments {
    @Option(name: .customLong("spool"), help: "Spool directory (overrides spool_dir).")
    var spool: String?
    @Option(name: .customLong("state"), help: "State directory (overrides state_dir).")
    var state: String?
    @Option(name: .customLong("log-dir"), help: "Crawl log directory (overrides log_dir).")
    var logDir: String?
    @Option(name: .customLong("crawls-dir"), help: "Crawl definitions directory (overrides crawls_dir).")
    var crawlsDir: String?
    @Option(name: .customLong("control-socket"), help: "Daemon control socket (overrides control_socket).")
    var controlSocket: String?

    var overrides: PathOverrides {
        PathOverrides(spoolDirectory: spool, stateDirectory: state, logDirectory: logDir,
                      crawlsDirectory: crawlsDir, controlSocket: controlSocket)
    }
}

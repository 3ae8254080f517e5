import Foundation
import HeraldDaemon
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("JournalLogHandler: diagnostics journald understands")
struct JournalLogHandlerTests {
    let time = Date(timeIntervalSince1970: 1_796_000_000.25)

    @Test("under journald each line carries the syslog priority of its level and no timestamp")
    func journalStyle() {
        let h = JournalLogHandler(label: "herald", style: .journal) { _ in }
        #expect(h.format(level: .error, message: "spool unwritable", metadata: [:], time: time)
                == "<3>herald: spool unwritable\n")
        #expect(h.format(level: .info, message: "ready", metadata: ["crawls": "3"], time: time)
                == "<6>herald: ready crawls=3\n")
        #expect(h.format(level: .warning, message: "a\nb", metadata: [:], time: time)
                == "<4>herald: a\n<4>herald: b\n")
        #expect([Logger.Level.trace, .debug, .info, .notice, .warning, .error, .critical]
            .map(JournalLogHandler.syslogPriority) == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test("elsewhere lines are timestamped in UTC with the level spelled out; odd values are quoted")
    func plainStyle() {
        let h = JournalLogHandler(label: "herald.daemon", style: .plain) { _ in }
        #expect(h.format(level: .notice, message: "reloaded", metadata: ["file": "/etc/herald/crawls/x y.yaml", "n": "2"], time: time)
                == "2026-11-30T00:53:20.250Z notice herald.daemon: reloaded file=\"/etc/herald/crawls/x y.yaml\" n=2\n")
    }

    @Test("a Logger through the handler writes one entry per call, filtered by level, with merged metadata")
    func throughLogger() {
        final class Sink: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            func add(_ s: String) { lock.withLock { lines.append(s) } }
        }
        let sink = Sink()
        var logger = Logger(label: "herald") { label in
            JournalLogHandler(label: label, style: .journal) { sink.add($0) }
        }
        logger.logLevel = .info
        logger[metadataKey: "crawl"] = "lbci"
        logger.debug("not shown")
        logger.info("run started", metadata: ["run": "r1"])
        #expect(sink.lines == ["<6>herald: run started crawl=lbci run=r1\n"])
    }

    @Test("journal lines only when JOURNAL_STREAM names the file stderr really is")
    func detection() {
        var st = stat()
        #expect(fstat(STDERR_FILENO, &st) == 0)
        let stderrID = "\(st.st_dev):\(st.st_ino)"
        #expect(JournalLogHandler.Style.detect(environment: ["JOURNAL_STREAM": stderrID]) == .journal)
        // Inherited by a child whose stderr was redirected elsewhere: not the journal.
        #expect(JournalLogHandler.Style.detect(environment: ["JOURNAL_STREAM": "0:0"]) == .plain)
        #expect(JournalLogHandler.Style.detect(environment: [:]) == .plain)
    }
}

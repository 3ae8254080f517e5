import HeraldCrawlLog

import FuzzDriver

/// Crawl-log lines as `herald logs` reads them back (a torn or hand-edited run file).
fuzz { data, size in
    let bytes = bytes(data, size)
    if let entry = try? LogEntry.decode(line: bytes) {
        // What decodes must encode again and decode to the same event.
        guard let line = try? entry.jsonLine(), let again = try? LogEntry.decode(line: line),
              again.event == entry.event else {
            fatalError("a decoded log line does not round-trip")
        }
    }
    return 0
}

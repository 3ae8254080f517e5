import Foundation
import HeraldDaemon

import FuzzDriver

/// Control-socket request lines as the daemon reads them from any local client, and reply lines
/// as `herald crawl`/`herald status` read them back.
fuzz { data, size in
    let bytes = bytes(data, size)
    do {
        // What the daemon takes as a request must mean the same once written by the client.
        let request = try ControlRequest(line: bytes)
        guard let line = try? JSONEncoder().encode(request), (try? ControlRequest(line: line)) == request else {
            fatalError("a control request does not round-trip")
        }
    } catch let refusal as ControlProtocolError {
        // The refusal is the line the client is sent: it must say something.
        if refusal.description.isEmpty { fatalError("an empty refusal") }
    } catch {
        fatalError("a request line failed with \(type(of: error)), not a ControlProtocolError")
    }
    if let response = try? ControlResponse(line: bytes) {
        var line = response.line()
        line.removeLast()
        guard (try? ControlResponse(line: line)) == response else { fatalError("a control response does not round-trip") }
    }
    return 0
}

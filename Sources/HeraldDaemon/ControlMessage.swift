import Foundation

/// A request to the daemon over its control socket: one JSON object on one line, such as
/// `{"version":1,"op":"crawl","crawl":"news","max_pages":5}`. The daemon and `herald crawl`/
/// `herald status` share this type, so both ends agree on the keys by construction.
///
/// Decoding refuses a version this build does not speak and an unknown `op` with a
/// `ControlProtocolError` whose description is the error line the client gets. A request
/// without a version is read as version 1, the first versioned form of the same keys.
public enum ControlRequest: Sendable, Equatable, Codable {
    /// Is a daemon there? Answered with `.pong`.
    case ping
    /// What the daemon schedules and runs. Answered with `.status`.
    case status
    /// Run a crawl (its name in crawls_dir, or the absolute path of its definition file) with
    /// an optional page bound for this run only, and follow it: answered with `.accepted`, any
    /// number of `.progress` and one `.end`.
    case crawl(String, maxPages: Int?)

    /// The protocol version this build speaks.
    public static let version = 1

    /// Reads one request line (without its newline) as the daemon does. Anything that is not a
    /// request of this version throws a `ControlProtocolError`, whose description is the error
    /// line the client gets; no input makes it fail any other way.
    public init(line: some DataProtocol) throws {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(line))
        } catch let error as ControlProtocolError {
            throw error
        } catch {
            throw ControlProtocolError.malformed
        }
    }

    private enum Op: String, Codable {
        case ping, status, crawl
    }

    private enum CodingKeys: String, CodingKey {
        case version, op, crawl
        case maxPages = "max_pages"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard version == Self.version else { throw ControlProtocolError.unsupportedVersion(version) }
        let op = try container.decode(String.self, forKey: .op)
        switch Op(rawValue: op) {
        case .ping: self = .ping
        case .status: self = .status
        case .crawl:
            // A missing name decodes as empty: the daemon refuses it with its own message.
            self = .crawl(try container.decodeIfPresent(String.self, forKey: .crawl) ?? "",
                          maxPages: try container.decodeIfPresent(Int.self, forKey: .maxPages))
        case nil: throw ControlProtocolError.unknownOperation(op)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.version, forKey: .version)
        switch self {
        case .ping: try container.encode(Op.ping, forKey: .op)
        case .status: try container.encode(Op.status, forKey: .op)
        case .crawl(let crawl, let maxPages):
            try container.encode(Op.crawl, forKey: .op)
            try container.encode(crawl, forKey: .crawl)
            try container.encodeIfPresent(maxPages, forKey: .maxPages)
        }
    }
}

/// One reply line from the daemon: a JSON object whose `type` names the case and whose other
/// keys are the payload's (`{"type":"end","exit_status":0,"outcome":"ok",...}`). Shared by the
/// daemon and the command line like `ControlRequest`.
public enum ControlResponse: Sendable, Equatable, Codable {
    /// The answer to `.ping`.
    case pong(pid: Int32)
    /// The answer to `.status`.
    case status(DaemonStatus)
    /// A crawl request was taken; the run's progress and end follow on the same connection.
    case accepted(Accepted)
    /// A progress update of the run being followed.
    case progress(RunProgress)
    /// The run being followed has ended; the last line of a crawl exchange.
    case end(RunReport)
    /// The request was refused; the only line of the exchange.
    case error(Refusal)

    /// The daemon took a crawl request.
    public struct Accepted: Sendable, Equatable, Codable {
        /// The crawl's name.
        public var crawl: String
        /// The daemon's process id.
        public var pid: Int32
        /// A note for the user (the crawl was already running and is being followed).
        public var message: String?

        public init(crawl: String, pid: Int32, message: String? = nil) {
            self.crawl = crawl
            self.pid = pid
            self.message = message
        }
    }

    /// Why the daemon refused a request.
    public struct Refusal: Sendable, Equatable, Codable {
        public var message: String
        /// What `herald crawl` exits with for this refusal (1 when absent).
        public var exitStatus: Int32?

        public init(_ message: String, exitStatus: Int32? = nil) {
            self.message = message
            self.exitStatus = exitStatus
        }

        enum CodingKeys: String, CodingKey {
            case message, exitStatus = "exit_status"
        }
    }

    private struct Pong: Codable {
        var pid: Int32
    }

    /// The `type` of each case on the wire.
    enum Kind: String, Codable {
        case pong, status, accepted, progress, end, error
    }

    var kind: Kind {
        switch self {
        case .pong: .pong
        case .status: .status
        case .accepted: .accepted
        case .progress: .progress
        case .end: .end
        case .error: .error
        }
    }

    private enum TypeKey: String, CodingKey {
        case type
    }

    public init(from decoder: any Decoder) throws {
        switch try decoder.container(keyedBy: TypeKey.self).decode(Kind.self, forKey: .type) {
        case .pong: self = .pong(pid: try Pong(from: decoder).pid)
        case .status: self = .status(try DaemonStatus(from: decoder))
        case .accepted: self = .accepted(try Accepted(from: decoder))
        case .progress: self = .progress(try RunProgress(from: decoder))
        case .end: self = .end(try RunReport(from: decoder))
        case .error: self = .error(try Refusal(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        // The payload's keys and `type` share one JSON object.
        let payload: any Encodable = switch self {
        case .pong(let pid): Pong(pid: pid)
        case .status(let status): status
        case .accepted(let accepted): accepted
        case .progress(let progress): progress
        case .end(let report): report
        case .error(let refusal): refusal
        }
        try payload.encode(to: encoder)
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(kind, forKey: .type)
    }

    /// The response as one line of JSON, newline included.
    public func line() -> Data {
        // Every payload is plain data with string keys: encoding cannot fail.
        var data = (try? DaemonStatus.encoder().encode(self)) ?? Data(#"{"type":"error","message":"unencodable reply"}"#.utf8)
        data.append(0x0a)
        return data
    }

    /// Reads one reply line (without its newline).
    public init(line: some DataProtocol) throws {
        self = try DaemonStatus.decoder().decode(Self.self, from: Data(line))
    }
}

/// A request line the daemon cannot take; the description is what the client is told.
public enum ControlProtocolError: Error, Equatable, CustomStringConvertible {
    /// Not one JSON object with a string `op`.
    case malformed
    /// A `version` other than `ControlRequest.version`.
    case unsupportedVersion(Int)
    /// An `op` this version does not define.
    case unknownOperation(String)
    /// Nothing arrived before the client hung up or the read timed out.
    case noRequest

    public var description: String {
        switch self {
        case .malformed:
            return "malformed request: expected {\"op\": \"status\"|\"crawl\"|\"ping\", ...}"
        case .unsupportedVersion(let version):
            return "unsupported control protocol version \(version) (this daemon speaks \(ControlRequest.version))"
        case .unknownOperation(let op):
            return "unknown op \"\(op.prefix(40))\" (expected status, crawl or ping)"
        case .noRequest:
            return "no request received (send one JSON object and a newline)"
        }
    }
}

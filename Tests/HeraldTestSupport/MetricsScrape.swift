import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One scrape of a Prometheus endpoint as Prometheus does it: `GET <path>` over HTTP/1.1 on
/// 127.0.0.1, with the status line, headers and the exposition text parsed into samples.
public struct MetricsScrape: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
    public var samples: [Sample]

    /// One line of the exposition text: `name{label="value",...} number`.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Scrapes `http://127.0.0.1:<port><path>`. The socket has a 10 s receive timeout, so a
    /// server that never answers fails the test instead of hanging it.
    public static func get(port: Int, path: String = "/metrics", method: String = "GET") throws -> MetricsScrape {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect 127.0.0.1:\(port): errno \(errno)") }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw Failure(description: "send: errno \(errno)")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw Failure(description: "recv: errno \(errno) after \(response.count) bytes") }
            if n == 0 { break }
            response += chunk[0..<n]
        }
        return try parse(String(decoding: response, as: UTF8.self))
    }

    static func parse(_ response: String) throws -> MetricsScrape {
        guard let split = response.range(of: "\r\n\r\n") else {
            throw Failure(description: "no end of headers in \(response.prefix(200))")
        }
        let head = response[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(head.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = String(response[split.upperBound...])
        return MetricsScrape(status: status, headers: headers, body: body, samples: samples(body))
    }

    /// The samples of an exposition text (comment lines skipped).
    public static func samples(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                  let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                return Sample(name: String(series), labels: [:], value: value)
            }
            var labels: [String: String] = [:]
            let inner = series[series.index(after: brace)..<(series.lastIndex(of: "}") ?? series.endIndex)]
            // Label values here never hold `",` (crawl names, kinds, outcomes, bucket bounds).
            for pair in inner.components(separatedBy: "\",") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    /// The value of the one series of `name` whose labels include `labels`; nil if none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { Self.matches($0, name, labels) }?.value
    }

    /// The sum over every series of `name` whose labels include `labels` (0 if none).
    public func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { Self.matches($0, name, labels) }.map(\.value).reduce(0, +)
    }

    private static func matches(_ sample: Sample, _ name: String, _ labels: [String: String]) -> Bool {
        sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
    }
}

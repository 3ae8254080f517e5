import Foundation

/// Splits a byte stream that arrives in pieces (a growing file, a socket) into lines: a line
/// ends at `\n`, a `\r` before it is dropped, empty lines are skipped, and an incomplete last
/// line is held back until its newline arrives or the input is final.
public struct LineReader: Sendable {
    private var pending = Data()

    public init() {}

    /// The lines completed by `chunk`; with `final`, also the unterminated rest.
    public mutating func feed(_ chunk: Data, final: Bool) -> [Data] {
        pending.append(chunk)
        var lines: [Data] = []
        var start = pending.startIndex
        while let nl = pending[start...].firstIndex(of: 0x0a) {
            append(pending[start..<nl], to: &lines)
            start = pending.index(after: nl)
        }
        pending = Data(pending[start...])
        if final {
            append(pending, to: &lines)
            pending = Data()
        }
        return lines
    }

    /// Every line of a complete input.
    public static func lines(in data: Data) -> [Data] {
        var reader = LineReader()
        return reader.feed(data, final: true)
    }

    private func append(_ line: Data, to lines: inout [Data]) {
        let trimmed = line.last == 0x0d ? line.dropLast() : line
        if !trimmed.isEmpty { lines.append(Data(trimmed)) }
    }
}

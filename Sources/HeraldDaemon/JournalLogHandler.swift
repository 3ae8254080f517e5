import Foundation
import HeraldFormats
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler for the daemon's own diagnostics on stderr. Under systemd (stderr is
/// the journal stream named by `$JOURNAL_STREAM`) each line starts with a `<N>` syslog
/// priority that journald turns into the entry's priority, and carries no timestamp (journald
/// adds one); elsewhere lines are plain and timestamped.
///
/// Each entry is written with one `write(2)`, so lines from concurrent tasks do not interleave.
public struct JournalLogHandler: LogHandler {
    /// How lines are laid out.
    public enum Style: Sendable, Equatable {
        /// `<6>label: message key=value` — for journald.
        case journal
        /// `2026-11-29T14:23:00.123Z info label: message key=value` — for a terminal or file.
        case plain

        /// `.journal` when `$JOURNAL_STREAM` names the file that stderr is (systemd sets it for
        /// the service; a child whose stderr was redirected inherits the variable but not the
        /// stream, hence the device:inode comparison).
        public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
            guard let stream = environment["JOURNAL_STREAM"] else { return .plain }
            var st = stat()
            guard fstat(STDERR_FILENO, &st) == 0 else { return .plain }
            return stream == "\(st.st_dev):\(st.st_ino)" ? .journal : .plain
        }
    }

    public let label: String
    public let style: Style
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void

    /// A handler writing to stderr, in the style the environment calls for.
    public init(label: String, style: Style = .detect()) {
        self.init(label: label, style: style) { line in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// A handler writing each formatted entry (newline-terminated) to `write`.
    public init(label: String, style: Style, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.style = style
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        write(format(level: event.level, message: "\(event.message)", metadata: merged, time: Date()))
    }

    /// The entry as written, newline included.
    public func format(level: Logger.Level, message: String, metadata: Logger.Metadata,
                       time: Date) -> String {
        var text = message
        if !metadata.isEmpty {
            text += " " + metadata.sorted { $0.key < $1.key }
                .map { "\($0.key)=\(Self.quoted("\($0.value)"))" }
                .joined(separator: " ")
        }
        switch style {
        case .journal:
            // journald takes each line as its own entry: give every line the priority.
            let prefix = "<\(Self.syslogPriority(level))>\(label): "
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { prefix + $0 + "\n" }.joined()
        case .plain:
            return "\(Timestamp.iso8601Milliseconds(time)) \(level) \(label): \(text)\n"
        }
    }

    /// The syslog priority journald understands for each level (debug 7 ... critical 2).
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else {
            return value
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}

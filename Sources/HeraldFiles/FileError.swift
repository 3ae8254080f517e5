/// Why a file operation of this module failed, as one readable sentence naming the path and
/// the system's reason (`cannot lock /var/lib/herald/locks/x.lock: Permission denied`).
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

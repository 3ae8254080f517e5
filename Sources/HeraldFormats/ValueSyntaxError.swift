/// A value that does not follow its syntax (a duration, size, schedule ...); the message says
/// what was expected. Callers that know the file and line turn it into a `ConfigProblem`.
public struct ValueSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

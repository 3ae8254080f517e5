import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a file operation of this module failed, as one readable sentence naming the path and
/// the system's reason (`cannot lock /var/lib/herald/locks/x.lock: Permission denied`).
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// The system's words for a failed Foundation file operation (`Permission denied`), so
    /// every module names a cause the same way instead of Foundation's English sentence
    /// (which on Linux often says less than errno).
    public static func reason(of error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(ns.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError { return "no such file" }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoPermissionError { return "permission denied" }
        return ns.localizedDescription
    }

    /// The system's words for the current `errno`.
    static func reason() -> String { String(cString: strerror(errno)) }
}

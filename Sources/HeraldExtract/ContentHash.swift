import Crypto
import Foundation

/// The `content_hash` of SPEC: `sha256:` + hex SHA-256 of the body after Unicode NFC and
/// whitespace collapsing, so the same text hashes the same whatever its layout.
public enum ContentHash {
    public static func of(body: String) -> String {
        let normalized = normalize(body)
        let digest = SHA256.hash(data: Data(normalized.utf8))
        return "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// NFC, then every run of whitespace as one space, trimmed.
    public static func normalize(_ body: String) -> String {
        let nfc = body.precomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in nfc.unicodeScalars {
            if UTF8Whitespace.isWhitespace(s) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(s)
            }
        }
        return String(out)
    }
}

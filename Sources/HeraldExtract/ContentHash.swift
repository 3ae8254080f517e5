import Crypto
import Foundation

/// The `content_hash` of SPEC: `sha256:` + hex SHA-256 of the body after Unicode NFC and
/// whitespace collapsing, so the same text hashes the same whatever its layout.
public enum ContentHash {
    public static func of(body: String) -> String {
        let normalized = normalize(body)
        let digest = SHA256.hash(data: Data(normalized.utf8))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = Array("sha256:".utf8)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// NFC, then every run of whitespace as one space, trimmed.
    public static func normalize(_ body: String) -> String {
        let nfc = isNFCStable(body) ? body : body.precomposedStringWithCanonicalMapping
        // The paragraph builder collapses Unicode whitespace runs to one space, on UTF-8 bytes.
        var collapsed = ParagraphBuilder()
        collapsed.append(nfc)
        collapsed.flush()
        return collapsed.paragraphs.first ?? ""
    }

    /// True when NFC cannot change the text: every scalar is below U+0300 (where nothing
    /// composes or decomposes) or general punctuation or currency (stable, or spaces that the
    /// whitespace collapsing treats the same). Saves Foundation's normalization for most pages.
    static func isNFCStable(_ text: String) -> Bool {
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x300 || (v >= 0x2000 && v <= 0x206F) || (v >= 0x20A0 && v <= 0x20C0) { continue }
            return false
        }
        return true
    }
}

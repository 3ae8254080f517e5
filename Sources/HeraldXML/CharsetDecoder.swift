#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts text bytes in a legacy charset (windows-1252, ISO-8859-x, Shift_JIS, GB18030,
/// EUC-KR, KOI8-R ...) to UTF-8 through the C library's iconv.
///
/// Never fails on bad input: every byte sequence the charset does not define becomes U+FFFD and
/// decoding goes on. Stateless and thread-safe (each call opens its own converter).
public enum CharsetDecoder {
    /// The UTF-8 encoding of U+FFFD REPLACEMENT CHARACTER.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// True when iconv can convert from `charset` (a name iconv knows, e.g. `CP932`).
    public static func supports(_ charset: String) -> Bool {
        let cd = iconv_open("UTF-8", charset)
        guard let cd, cd != invalidDescriptor else { return false }
        iconv_close(cd)
        return true
    }

    /// The bytes converted from `charset` to UTF-8, with U+FFFD for each invalid or incomplete
    /// sequence; nil only when iconv does not know the charset at all.
    public static func decode(_ bytes: [UInt8], from charset: String) -> [UInt8]? {
        let cd = iconv_open("UTF-8", charset)
        guard let cd, cd != invalidDescriptor else { return nil }
        defer { iconv_close(cd) }
        if bytes.isEmpty { return [] }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2 + 16)
        var chunk = [UInt8](repeating: 0, count: max(4096, min(bytes.count * 4 + 16, 1 << 20)))
        var input = bytes
        input.withUnsafeMutableBufferPointer { inBuf in
            inBuf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: inBuf.count) { inStart in
                var inPtr: UnsafeMutablePointer<CChar>? = inStart
                var inLeft = inBuf.count
                while inLeft > 0 {
                    var failure: Int32 = 0
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                        outBuf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: outBuf.count) { outStart in
                            var outPtr: UnsafeMutablePointer<CChar>? = outStart
                            var outLeft = outBuf.count
                            if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 { failure = errno }
                            return outBuf.count - outLeft
                        }
                    }
                    output.append(contentsOf: chunk[0..<produced])
                    switch failure {
                    case 0, E2BIG:
                        continue // done, or the chunk was full: convert the rest
                    case EINVAL:
                        // A truncated multi-byte sequence at the very end.
                        output.append(contentsOf: replacement)
                        inLeft = 0
                    default:
                        // EILSEQ: a byte the charset does not define. Replace it and resume
                        // after it, with the converter back in its initial shift state.
                        output.append(contentsOf: replacement)
                        inPtr = inPtr.map { $0 + 1 }
                        inLeft -= 1
                        iconv(cd, nil, nil, nil, nil)
                    }
                }
            }
        }
        return output
    }

    /// Valid UTF-8 for any bytes: well-formed input comes back unchanged, each ill-formed
    /// sequence becomes U+FFFD (as the Unicode "maximal subpart" practice prescribes).
    public static func repairUTF8(_ bytes: [UInt8]) -> [UInt8] {
        if isValidUTF8(bytes) { return bytes }
        return Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    /// True when the bytes are well-formed UTF-8 (a fast scan, ASCII runs cost one compare).
    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b < 0x80 { i += 1; continue }
                var need: Int
                var minSecond: UInt8 = 0x80, maxSecond: UInt8 = 0xBF
                switch b {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; minSecond = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; maxSecond = 0x9F
                case 0xF0: need = 3; minSecond = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; maxSecond = 0x8F
                default: return false
                }
                guard i + need < n else { return false }
                let second = buf[i + 1]
                guard second >= minSecond && second <= maxSecond else { return false }
                var k = 2
                while k <= need {
                    guard buf[i + k] & 0xC0 == 0x80 else { return false }
                    k += 1
                }
                i += need + 1
            }
            return true
        }
    }

    /// iconv_open's failure value, `(iconv_t)-1`.
    private static var invalidDescriptor: iconv_t? { iconv_t(bitPattern: -1) }
}

import Foundation

/// The UTS #46 mapping a browser applies to an internationalized host name before punycoding
/// it, so a link written with full-width letters and digits, an ideographic full stop, or a
/// soft hyphen and zero-width characters inside a name reaches the same host a browser reaches:
/// compatibility forms folded (NFKC) and lower-cased, the characters UTS #46 ignores removed,
/// and every full stop variant made `.`. Pure; thread-safe.
enum IDNAMapping {
    static func map(_ host: String) -> String {
        let folded = host.precomposedStringWithCompatibilityMapping.lowercased()
            .precomposedStringWithCompatibilityMapping
        var out = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if fullStops.contains(scalar.value) {
                out.append(".")
            } else if !isIgnored(scalar.value) {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// U+3002 ideographic, U+FF0E full-width and U+FF61 half-width ideographic full stops
    /// (NFKC has already turned the last two into `.` and U+3002).
    private static let fullStops: Set<UInt32> = [0x3002, 0xFF0E, 0xFF61]

    /// Code points UTS #46 maps to nothing: soft hyphen, combining grapheme joiner, Mongolian
    /// variation selectors, zero-width space / non-joiner / joiner, word joiner, variation
    /// selectors, the zero-width no-break space, and shorthand format controls.
    private static func isIgnored(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x180B...0x180F, 0x200B...0x200D, 0x2060, 0xFE00...0xFE0F, 0xFEFF,
             0x1BCA0...0x1BCA3, 0xE0100...0xE01EF:
            true
        default:
            false
        }
    }
}

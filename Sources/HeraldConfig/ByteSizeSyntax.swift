import Foundation
import HeraldFormats

/// Parses and prints byte sizes: `512B` or a bare number of bytes, SI units `KB`/`MB`/`GB`
/// (powers of 1000, as disk makers and curl count) and binary units `KiB`/`MiB`/`GiB`
/// (powers of 1024). Letters are case-insensitive.
public enum ByteSizeSyntax {
    static let units: [(suffix: String, bytes: Int)] = [
        ("b", 1), ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000),
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
    ]

    /// Parses `text` into a number of bytes.
    public static func parse(_ text: String) throws(ValueSyntaxError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hint = "use e.g. 512KB, 10MB, 1GiB or a number of bytes"
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unitText = trimmed.dropFirst(number.count).drop { $0 == " " }.lowercased()
        guard let value = Double(number), !number.isEmpty else {
            throw ValueSyntaxError("\"\(trimmed)\" is not a size (\(hint))")
        }
        let multiplier: Int
        if unitText.isEmpty {
            multiplier = 1
        } else if let unit = units.first(where: { $0.suffix == unitText }) {
            multiplier = unit.bytes
        } else {
            throw ValueSyntaxError("\"\(trimmed)\" is not a size (\(hint))")
        }
        let bytes = value * Double(multiplier)
        guard bytes < 9e18 else { throw ValueSyntaxError("\"\(trimmed)\" is too large") }
        return Int(bytes.rounded())
    }

    /// The shortest exact spelling of `bytes` (`10000000` prints as `10MB`, `1048576` as `1MiB`).
    public static func format(_ bytes: Int) -> String {
        if bytes == 0 { return "0" }
        let ordered = units.dropFirst().sorted { $0.bytes > $1.bytes }
        for unit in ordered where bytes % unit.bytes == 0 {
            return "\(bytes / unit.bytes)\(unit.suffix.capitalizedUnit)"
        }
        return "\(bytes)B"
    }
}

private extension String {
    /// `kb` -> `KB`, `mib` -> `MiB`.
    var capitalizedUnit: String {
        if count == 3 { return prefix(1).uppercased() + "i" + suffix(1).uppercased() }
        return uppercased()
    }
}

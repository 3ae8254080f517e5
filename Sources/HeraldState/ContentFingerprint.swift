/// A MinHash signature of an article body, for finding near-duplicates: the same story with a
/// changed credit line, different site chrome or a typo fix.
///
/// The body is lowercased and split into words (runs of letters and digits); the features are
/// the set of overlapping 3-word shingles. For each of 64 fixed hash functions the signature
/// keeps the smallest shingle hash, truncated to 16 bits (b-bit MinHash). The share of equal
/// positions in two signatures estimates the Jaccard similarity of the two shingle sets.
/// For lookup the 64 values form 16 bands of 4; two bodies with Jaccard similarity 0.8 share
/// at least one band with probability 1 - (1 - 0.8^4)^16 ≈ 0.9998, unrelated bodies almost never.
/// Values are deterministic across processes and machines (no seeded hashing), so they can be
/// stored. A plain value; Sendable.
public struct ContentFingerprint: Sendable, Equatable {
    public static let valueCount = 64
    public static let bandCount = 16
    public static let rowsPerBand = 4
    static let shingleWords = 3

    /// The 64 truncated minima.
    public let values: [UInt16]

    public init(values: [UInt16]) {
        precondition(values.count == Self.valueCount, "a fingerprint has \(Self.valueCount) values")
        self.values = values
    }

    /// The fingerprint of a body text.
    public init(body: String) {
        let shingles = Self.shingleHashes(body)
        var minima = [UInt64](repeating: .max, count: Self.valueCount)
        for shingle in shingles {
            for i in 0..<Self.valueCount {
                let h = Self.mix(shingle ^ Self.seeds[i])
                if h < minima[i] { minima[i] = h }
            }
        }
        values = minima.map { UInt16(truncatingIfNeeded: $0 >> 48) }
    }

    /// Estimated Jaccard similarity of the two bodies' shingle sets, 0...1.
    public func similarity(to other: ContentFingerprint) -> Double {
        var equal = 0
        for i in 0..<Self.valueCount where values[i] == other.values[i] { equal += 1 }
        return Double(equal) / Double(Self.valueCount)
    }

    /// The 16 band keys used to index the fingerprint: a 31-bit hash of the band number and
    /// its four values (31 bits so SQLite stores each in 4 bytes; chance collisions cost only
    /// a candidate check).
    public var bandKeys: [Int64] {
        (0..<Self.bandCount).map { band in
            var packed: UInt64 = 0
            for row in 0..<Self.rowsPerBand {
                packed = packed << 16 | UInt64(values[band * Self.rowsPerBand + row])
            }
            return Int64(Self.mix(packed ^ Self.seeds[band] &* 0x9E37_79B9) >> 33)
        }
    }

    /// 128 bytes, little-endian values, for storage.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.valueCount * 2)
        for v in values { out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8)) }
        return out
    }

    /// Reads the storage form; nil if it has the wrong length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.valueCount * 2 else { return nil }
        values = (0..<Self.valueCount).map { UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8 }
    }

    // MARK: - Hashing

    /// Distinct 64-bit hashes of the body's 3-word shingles (the whole word list as one shingle
    /// when it has fewer words).
    static func shingleHashes(_ body: String) -> Set<UInt64> {
        var words = [UInt64]()
        var current: UInt64 = fnvOffset
        var inWord = false
        for scalar in body.lowercased().unicodeScalars {
            let isWordScalar = scalar.isASCII
                ? isASCIIWordByte(scalar.value)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordScalar {
                // FNV-1a over the scalar value's bytes (stable, allocation-free).
                var v = scalar.value
                repeat {
                    current = (current ^ UInt64(v & 0xFF)) &* fnvPrime
                    v >>= 8
                } while v != 0
                inWord = true
            } else if inWord {
                words.append(current)
                current = fnvOffset
                inWord = false
            }
        }
        if inWord { words.append(current) }

        var out = Set<UInt64>()
        if words.count < shingleWords {
            var h: UInt64 = fnvOffset
            for w in words { h = mix(h ^ w) }
            out.insert(h)
            return out
        }
        out.reserveCapacity(words.count)
        for i in 0...(words.count - shingleWords) {
            out.insert(mix(words[i] ^ rotate(words[i + 1], 21) ^ rotate(words[i + 2], 42)))
        }
        return out
    }

    static func isASCIIWordByte(_ v: UInt32) -> Bool {
        (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
    }

    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    static func rotate(_ x: UInt64, _ by: UInt64) -> UInt64 { x << by | x >> (64 - by) }

    /// splitmix64 finalizer: a bijective mixer with good avalanche.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One fixed seed per hash function (derived, not random, so signatures are stable).
    static let seeds: [UInt64] = (0..<UInt64(valueCount)).map { mix($0 &* 0xD1B5_4A32_D192_ED03 &+ 1) }
}

import Foundation

/// SplitMix64: a small seeded generator, so a failing run can be replayed from its seed. Every
/// random input a test makes comes from one of these.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    /// The seed this generator started from.
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator for one test: seeded from `HERALD_TEST_SEED` when set (replaying a failure),
    /// else from a fresh seed. The seed is printed before the test uses it, so that even a run
    /// that crashes can be replayed.
    public static func forTest(_ label: String) -> SeededRandom {
        let fixed = ProcessInfo.processInfo.environment["HERALD_TEST_SEED"].flatMap(UInt64.init)
        let seed = fixed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("\(label): random seed \(seed) (HERALD_TEST_SEED=\(seed) replays it)")
        return SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A small, fast, seedable generator (xoshiro256**), so every randomized test names its seed
/// and replays exactly.
public struct SeededRandom: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var z = seed
        func splitmix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }
}

/// True when `a` and `b` agree to `tolerance`, relative to max(1, |a|, |b|); NaNs agree with NaNs
/// and infinities with equal infinities.
public func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-12) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
}

/// Inputs for fuzzing a parser: every `stride`-th truncation of each example, `mutations`
/// copies of each with one to six bytes replaced, inserted or deleted (from `alphabet`), and
/// `noise` strings of random bytes up to `maxNoise` long.
public func fuzzInputs(_ examples: [[UInt8]], alphabet: [UInt8], truncations: Int, mutations: Int, noise: Int,
                       maxNoise: Int, using rng: inout SeededRandom) -> [[UInt8]] {
    var inputs: [[UInt8]] = []
    for bytes in examples {
        for cut in stride(from: 0, through: bytes.count, by: max(1, bytes.count / max(1, truncations))) { inputs.append(Array(bytes.prefix(cut))) }
        for _ in 0..<mutations {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...6, using: &rng) where !mutated.isEmpty {
                let k = Int.random(in: 0..<mutated.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: mutated[k] = alphabet.randomElement(using: &rng)!
                case 1: mutated.insert(alphabet.randomElement(using: &rng)!, at: k)
                default: mutated.remove(at: k)
                }
            }
            inputs.append(mutated)
        }
    }
    for _ in 0..<noise { inputs.append((0..<Int.random(in: 0..<maxNoise, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
    return inputs
}

import DiffGen
import Foundation

/// Seeded numbers, so every run prints and draws the same thing.
public struct SeededNormal {
    private var uniform: SplitMix
    public init(seed: UInt64) { uniform = SplitMix(seed: seed) }

    /// A standard normal sample (Box–Muller).
    public mutating func next() -> Double {
        let u = uniform.uniform(0, 1), v = uniform.uniform(0, 1)
        return (-2 * log(1 - u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0.0) { $0 + $1.0 * $1.1 } }

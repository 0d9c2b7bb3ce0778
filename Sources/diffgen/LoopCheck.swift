import DiffGen

/// `diffgen check` for loops: each `loop D = jacobian(f, x)` against central differences of f's
/// value and each `loop H = hessian(f, x)` against second differences, on sampled entries
/// (every column up to 24, else 24 drawn ones; 24 Hessian entries, nonzeros and zeros).
struct LoopCheck {
    let derivative: LoopDerivative
    let base: any LoopedFunction
    let loop: any LoopedFunction
    /// The base loop and the derivative, compiled once for every point.
    private let value: NativeFunction
    private let derived: NativeFunction

    init(derivative: LoopDerivative, base: any LoopedFunction, loop: any LoopedFunction) throws {
        (self.derivative, self.base, self.loop) = (derivative, base, loop)
        (value, derived) = (try base.compiled(), try loop.compiled())
    }

    /// The largest error `worstError` may report for the check to pass.
    var tolerance: Double { derivative.kind == .jacobian ? 1e-5 : 1e-3 }

    /// The worst relative error at `point` (inputs of the base loop, in order).
    func worstError(at point: [[Double]], using generator: inout SplitMix) throws -> Double {
        guard let k = base.inputPorts.firstIndex(where: { $0.name == derivative.input }) else { return 0 }
        let n = base.inputPorts[k].size
        func f(_ x: [[Double]]) throws -> [Double] { try value(x)[0] }
        let pattern = loop.outputPorts[0].pattern
        let nonzeros = try derived(point)[0]
        var dense = [Double](repeating: 0, count: pattern.rows * pattern.cols)
        for (e, entry) in pattern.entries.enumerated() { dense[entry.col * pattern.rows + entry.row] = nonzeros[e] }
        func shifted(_ moves: [(Int, Double)]) -> [[Double]] {
            var x = point
            for (j, h) in moves { x[k][j] += h }
            return x
        }
        func sample(_ count: Int, from range: Int) -> [Int] {
            range <= count ? Array(0..<range) : (0..<count).map { _ in Int(generator.next() % UInt64(range)) }
        }
        var worst = 0.0
        switch derivative.kind {
        case .jacobian:
            // Rows: the base output's entries; a scalar's gradient is stored as a column.
            let m = try f(point).count
            let h = 1e-6
            for j in sample(24, from: n) {
                let (up, down) = (try f(shifted([(j, h)])), try f(shifted([(j, -h)])))
                for i in 0..<m {
                    let reference = (up[i] - down[i]) / (2 * h)
                    let entry = m == 1 && pattern.cols == 1 ? dense[j] : dense[j * m + i]
                    worst = max(worst, abs(entry - reference) / max(1, abs(reference)))
                }
            }
            return worst
        case .hessian:
            let h = 1e-4
            let entries = pattern.entries
            var pairs = sample(12, from: entries.count).map { (entries[$0].row, entries[$0].col) }
            pairs += (0..<12).map { _ in (Int(generator.next() % UInt64(n)), Int(generator.next() % UInt64(n))) }
            for (i, j) in pairs {
                let corners = try [(h, h), (h, -h), (-h, h), (-h, -h)].map { try f(shifted([(i, $0.0), (j, $0.1)]))[0] }
                let reference = (corners[0] - corners[1] - corners[2] + corners[3]) / (4 * h * h)
                worst = max(worst, abs(dense[j * n + i] - reference) / max(1, abs(reference)))
            }
            return worst
        }
    }
}

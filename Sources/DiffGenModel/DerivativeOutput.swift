import DiffGenAD
import DiffGenCore

/// An output of a model written as a derivative, with what it differentiates: checked against
/// numbers computed from the function's own values (central differences, second differences,
/// complex step), never against another symbolic derivative.
public struct DerivativeOutput {
    public enum Kind: Sendable { case jacobian, hessian, jvp, vjp, hvp }

    public let output: String
    /// The builtin used, e.g. `sparse_jacobian`.
    public let builtin: String
    public let kind: Kind
    /// What is differentiated (the Lagrangian σf + λᵀg for Lagrangian Hessians).
    public let function: Matrix
    public let variable: Matrix
    public let variableName: String
    /// The direction of a jvp or hvp, the cotangent of a vjp.
    public let direction: Matrix?
    /// The output's value (dense; structural zeros as 0).
    public let value: Matrix

    /// How far an output is from its numerical reference.
    public struct Result: Sendable {
        public let method: String
        /// Largest |output − reference| / max(1, |reference|, |f|) over the entries compared.
        public let worstError: Double
        public let tolerance: Double
        public let compared: Int
        public var passed: Bool { worstError <= tolerance }
    }

    /// Compares the output's value (given by `value`) with references at the model inputs
    /// `point` (every input of `inputs`, in order).
    public func check(inputs: [(name: String, value: Matrix)], at point: [[Double]], samples: Int = 300) throws -> [Result] {
        let context = variable.context
        var outputs: [(String, any FunctionOutput)] = [("f", function), ("d", value)]
        if let direction { outputs.append(("v", direction)) }
        let probe = try Function("probe", inputs: inputs.map { ($0.name, $0.value) }, outputs: outputs)
        let interpreter = Interpreter(probe)
        guard let slot = inputs.firstIndex(where: { $0.name == variableName }) else { return [] }
        let base = try interpreter.evaluate(point)
        let (f0, symbolic) = (base[0], base[1])
        let v = direction == nil ? [] : base[2]
        let scale = f0.map { Swift.abs($0) }.filter(\.isFinite).max() ?? 1
        func f(_ x: [Double]) throws -> [Double] {
            var p = point
            p[slot] = x
            return try interpreter.evaluate(p)[0]
        }
        let x = point[slot], n = x.count, m = f0.count
        let cbrtEps = 6.055454452393343e-06, quarterEps = 1.220703125e-4
        var worst = 0.0, compared = 0
        func compare(_ got: Double, _ reference: Double) {
            guard got.isFinite && reference.isFinite else { return }
            worst = Swift.max(worst, Swift.abs(got - reference) / Swift.max(1, Swift.abs(reference), scale))
            compared += 1
        }
        func step(_ k: Int, _ h: Double, _ sign: Double, _ y: [Double]) -> [Double] {
            var z = y
            z[k] += sign * h
            return z
        }
        switch kind {
        case .jacobian, .vjp:
            // J by central differences, column by column.
            var j = [Double](repeating: 0, count: m * n)
            for col in 0..<n {
                let h = cbrtEps * Swift.max(1, Swift.abs(x[col]))
                let (plus, minus) = (step(col, h, 1, x), step(col, h, -1, x))
                let (fp, fm) = (try f(plus), try f(minus))
                for row in 0..<m { j[row + col * m] = (fp[row] - fm[row]) / (plus[col] - minus[col]) }
            }
            if kind == .jacobian {
                for k in 0..<(m * n) { compare(symbolic[k], j[k]) }
            } else {
                for col in 0..<n { compare(symbolic[col], (0..<m).reduce(0) { $0 + v[$1] * j[$1 + col * m] }) }
            }
            var results = [Result(method: "central differences", worstError: worst, tolerance: 1e-6, compared: compared)]
            if kind == .jacobian, let complex = try DerivativeCheck.jacobianByComplexStep(
                of: function, wrt: variable, at: x,
                parameters: inputs.enumerated().filter { $0.offset != slot }.map { ($0.element.value, point[$0.offset]) }) {
                results.append(Result(method: "complex step", worstError: complex.maxRelativeError, tolerance: 1e-10, compared: m * n))
            }
            return results
        case .jvp:
            let norm = Swift.max(1e-300, v.map { Swift.abs($0) }.max() ?? 1)
            let h = cbrtEps * Swift.max(1, x.map { Swift.abs($0) }.max() ?? 1) / norm
            let fp = try f(zip(x, v).map { $0 + h * $1 }), fm = try f(zip(x, v).map { $0 - h * $1 })
            for row in 0..<m { compare(symbolic[row], (fp[row] - fm[row]) / (2 * h)) }
            return [Result(method: "central differences", worstError: worst, tolerance: 1e-6, compared: compared)]
        case .hessian, .hvp:
            // Second differences of f: [f(+i+j) − f(+i−j) − f(−i+j) + f(−i−j)] / (4 hᵢ hⱼ), on every
            // pair when there are few, else on a seeded sample of them.
            let h = x.map { quarterEps * Swift.max(1, Swift.abs($0)) }
            func second(_ i: Int, _ direction: [Double]?, _ j: Int) throws -> Double {
                let hj = direction == nil ? h[j] : quarterEps * Swift.max(1, x.map { Swift.abs($0) }.max() ?? 1)
                func at(_ si: Double, _ sj: Double) throws -> Double {
                    var z = x
                    z[i] += si * h[i]
                    if let direction { for k in 0..<n { z[k] += sj * hj * direction[k] } } else { z[j] += sj * hj }
                    return try f(z)[0]
                }
                return (try at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * hj)
            }
            if kind == .hvp {
                for i in 0..<n { compare(symbolic[i], try second(i, v, 0)) }
            } else {
                var generator = SplitMix(seed: 0x5eed)
                let pairs = n * n <= samples ? (0..<(n * n)).map { ($0 % n, $0 / n) }
                    : (0..<samples).map { _ in (Int(generator.next() % UInt64(n)), Int(generator.next() % UInt64(n))) }
                for (i, j) in pairs { compare(symbolic[i + j * n], try second(i, nil, j)) }
            }
            return [Result(method: "second differences", worstError: worst, tolerance: 1e-5, compared: compared)]
        }
    }
}

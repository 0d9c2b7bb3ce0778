import DiffGenCore

/// Compares symbolic derivatives with numbers computed independently of them: central finite
/// differences (and, where every op allows it, complex-step) of the function's own values.
public enum DerivativeCheck {
    /// How far a symbolic derivative is from its numerical reference.
    public struct Report: CustomStringConvertible, Sendable {
        /// The reference method, e.g. "central differences".
        public let method: String
        public let maxAbsoluteError: Double
        /// Largest |symbolic − reference| / max(1, |reference|).
        public let maxRelativeError: Double
        /// Row and column of the worst entry.
        public let worst: (row: Int, column: Int)
        public let symbolicValue: Double
        public let referenceValue: Double

        public var description: String {
            "\(method): max abs error \(maxAbsoluteError), max rel error \(maxRelativeError) at (\(worst.row), \(worst.column)): symbolic \(symbolicValue), reference \(referenceValue)"
        }
    }

    /// Checks ∂f/∂x against central differences at `point` (values of x). Other symbols that f
    /// depends on are held at the values given in `parameters`.
    ///
    /// Step per entry: ∛ε·max(1, |xⱼ|), which balances truncation and rounding error.
    public static func jacobian(of f: Matrix, wrt x: Matrix, at point: [Double],
                                parameters: [(Matrix, [Double])] = []) throws -> Report {
        let symbolic = try DiffGenAD.jacobian(of: f, wrt: x)
        let (values, fJ) = try evaluator(f, symbolic, x, parameters)
        let j = try fJ.evaluate(values(point))[1]
        let m = f.count
        var reference = [Double](repeating: 0, count: m * x.count)
        let cbrtEps = 6.055454452393343e-06  // ∛(2⁻⁵²)
        for col in 0..<x.count {
            let h = cbrtEps * Swift.max(1, Swift.abs(point[col]))
            var plus = point, minus = point
            plus[col] += h
            minus[col] -= h
            let (fp, fm) = (try fJ.evaluate(values(plus))[0], try fJ.evaluate(values(minus))[0])
            let step = plus[col] - minus[col]  // the step actually taken after rounding
            for row in 0..<m { reference[row + col * m] = (fp[row] - fm[row]) / step }
        }
        return compare(j, reference, rows: m, method: "central differences")
    }

    /// Checks the gradient of a scalar against central differences.
    public static func gradient(of f: Expr, wrt x: Matrix, at point: [Double],
                                parameters: [(Matrix, [Double])] = []) throws -> Report {
        try jacobian(of: Matrix(f), wrt: x, at: point, parameters: parameters)
    }

    /// Checks ∇²f against second central differences of f's values:
    /// Hᵢⱼ ≈ [f(x+hᵢ+hⱼ) − f(x+hᵢ−hⱼ) − f(x−hᵢ+hⱼ) + f(x−hᵢ−hⱼ)] / (4hᵢhⱼ), hᵢ = ε^¼·max(1, |xᵢ|).
    public static func hessian(of f: Expr, wrt x: Matrix, at point: [Double],
                               parameters: [(Matrix, [Double])] = []) throws -> Report {
        let symbolic = try DiffGenAD.hessian(of: f, wrt: x)
        let (values, fH) = try evaluator(Matrix(f), symbolic, x, parameters)
        let hess = try fH.evaluate(values(point))[1]
        let n = x.count
        let quarterEps = 1.220703125e-4  // (2⁻⁵²)^¼
        let h = point.map { quarterEps * Swift.max(1, Swift.abs($0)) }
        func value(_ di: Int, _ si: Double, _ dj: Int, _ sj: Double) throws -> Double {
            var p = point
            p[di] += si * h[di]
            p[dj] += sj * h[dj]
            return try fH.evaluate(values(p))[0][0]
        }
        var reference = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let d = try value(i, 1, j, 1) - value(i, 1, j, -1) - value(i, -1, j, 1) + value(i, -1, j, -1)
                let entry = d / (4 * h[i] * h[j])
                reference[i + j * n] = entry
                reference[j + i * n] = entry
            }
        }
        return compare(hess, reference, rows: n, method: "second central differences")
    }

    /// An interpreter for [f, derivative] over (x, parameters…), and a function that turns values
    /// of x into its input arrays.
    private static func evaluator(_ f: Matrix, _ derivative: Matrix, _ x: Matrix,
                                  _ parameters: [(Matrix, [Double])]) throws -> (([Double]) -> [[Double]], Interpreter) {
        var inputs: [(String, Matrix)] = [("x", x)]
        for (k, (symbols, _)) in parameters.enumerated() { inputs.append(("p\(k)", symbols)) }
        let function = try Function("check", inputs: inputs, outputs: [("f", f), ("d", derivative)])
        let fixed = parameters.map(\.1)
        return ({ [$0] + fixed }, Interpreter(function))
    }

    static func compareForCheck(_ symbolic: [Double], _ reference: [Double], rows: Int, method: String) -> Report {
        compare(symbolic, reference, rows: rows, method: method)
    }

    private static func compare(_ symbolic: [Double], _ reference: [Double], rows: Int, method: String) -> Report {
        var worst = 0, maxAbs = 0.0, maxRel = 0.0
        for k in 0..<symbolic.count {
            let absolute = Swift.abs(symbolic[k] - reference[k])
            let relative = absolute / Swift.max(1, Swift.abs(reference[k]))
            let broken = absolute.isNaN
            if broken || relative > maxRel {
                maxRel = broken ? .infinity : relative
                worst = k
            }
            maxAbs = broken ? .infinity : Swift.max(maxAbs, absolute)
        }
        return Report(method: method, maxAbsoluteError: maxAbs, maxRelativeError: maxRel,
                      worst: (worst % Swift.max(rows, 1), worst / Swift.max(rows, 1)),
                      symbolicValue: symbolic.isEmpty ? 0 : symbolic[worst],
                      referenceValue: reference.isEmpty ? 0 : reference[worst])
    }
}

import DiffGen
import Foundation

/// Exercise 1: h(x, y) = tanh(a x + b y); DiffGen's Jacobian beside the analytic one
/// [a, b]·(1 − tanh²(a x + b y)), finite differences and complex step.
public struct ChainRule {
    public struct Row {
        public let a: Double, b: Double, x: Double, y: Double
        /// DiffGen's [∂h/∂x, ∂h/∂y].
        public let jacobian: [Double]
        public let analytic: [Double]
        /// Largest relative errors of central differences and complex step against DiffGen.
        public let finiteDifferenceError: Double
        public let complexStepError: Double
    }
    public let rows: [Row]

    public init(cases: [(a: Double, b: Double, x: Double, y: Double)] = ChainRule.cases) throws {
        rows = try cases.map { c in
            let context = ExprContext()
            let xy = context.vector("xy", count: 2), ab = context.vector("ab", count: 2)
            let h = tanh(ab[0] * xy[0] + ab[1] * xy[1])
            let jac = try jacobian(of: h, wrt: xy)
            let values = try Function("chain_rule", inputs: [("xy", xy), ("ab", ab)], outputs: [("J", jac)]).compiled()([[c.x, c.y], [c.a, c.b]])[0]
            let s = 1 - pow(tanh(c.a * c.x + c.b * c.y), 2)
            let parameters = [(ab, [c.a, c.b])]
            let fd = try DerivativeCheck.jacobian(of: Matrix(h), wrt: xy, at: [c.x, c.y], parameters: parameters)
            let cs = try DerivativeCheck.jacobianByComplexStep(of: Matrix(h), wrt: xy, at: [c.x, c.y], parameters: parameters)!
            return Row(a: c.a, b: c.b, x: c.x, y: c.y, jacobian: values, analytic: [c.a * s, c.b * s],
                       finiteDifferenceError: fd.maxRelativeError, complexStepError: cs.maxRelativeError)
        }
    }

    public static let cases: [(a: Double, b: Double, x: Double, y: Double)] = [
        (1.5, -0.8, 0.3, 0.7), (1.5, -0.8, -1.1, 0.2), (-2.0, 0.5, 0.9, -1.4), (0.25, 3.0, 2.0, 0.1),
    ]
}

/// Exercise 2: the Hessian of xᵀA x is A + Aᵀ, also for a non-symmetric A.
public struct QuadraticHessian {
    /// A (n×n, column-major), seeded uniform in [−1, 1].
    public let a: [Double]
    /// DiffGen's Hessian, column-major.
    public let hessian: [Double]
    public let n: Int

    public init(n: Int = 4, seed: UInt64 = 3) throws {
        var uniform = SplitMix(seed: seed)
        let a = (0..<(n * n)).map { _ in uniform.uniform(-1, 1) }
        let context = ExprContext()
        let x = context.vector("x", count: n)
        let matrix = Matrix(nodes: a.map { context.constant($0).id }, rows: n, cols: n, in: context)
        let f = try x.transposed() * matrix * x
        let h = try DiffGen.hessian(of: f[0], wrt: x)
        // Constant, so any point gives it; evaluate at one to show it does not depend on x.
        hessian = try Function("quadratic_hessian", inputs: [("x", x)], outputs: [("H", h)]).compiled()([Array(repeating: 0.5, count: n)])[0]
        (self.a, self.n) = (a, n)
    }
}

/// Exercise 3: f(x, y) = x³ − 3xy² (the monkey saddle) on a grid, each point classified by the
/// signs of its Hessian's eigenvalues (LAPACK dsyev).
public struct SaddleGrid {
    public enum Kind: String, CaseIterable, Sendable { case minimum = "convex", maximum = "concave", saddle, flat = "degenerate" }
    /// Grid coordinates (the same along x and y).
    public let coordinates: [Double]
    /// f and the kind at (coordinates[i], coordinates[j]) at index i + j·count.
    public let values: [Double]
    public let kinds: [Kind]
    public let eigenvalues: [[Double]]
    /// The Hessian at the origin (column-major).
    public let hessianAtOrigin: [Double]

    public init(points: Int = 41) throws {
        let context = ExprContext()
        let p = context.vector("p", count: 2)
        let f = p[0] * p[0] * p[0] - 3 * p[0] * p[1] * p[1]
        let function = try Function("saddle", inputs: [("p", p)], outputs: [("f", Matrix(f)), ("H", try DiffGen.hessian(of: f, wrt: p))]).compiled()
        coordinates = (0..<points).map { -1 + 2 * Double($0) / Double(points - 1) }
        var values: [Double] = [], kinds: [Kind] = [], eigenvalues: [[Double]] = []
        for y in coordinates {
            for x in coordinates {
                let out = try function([[x, y]])
                let lambda = LinearAlgebra.symmetricEigen(out[1], n: 2).values
                values.append(out[0][0])
                eigenvalues.append(lambda)
                kinds.append(Self.kind(lambda))
            }
        }
        (self.values, self.kinds, self.eigenvalues) = (values, kinds, eigenvalues)
        hessianAtOrigin = try function([[0, 0]])[1]
    }

    static func kind(_ lambda: [Double]) -> Kind {
        let tolerance = 1e-12
        if lambda.contains(where: { abs($0) <= tolerance }) { return .flat }
        if lambda.allSatisfy({ $0 > 0 }) { return .minimum }
        if lambda.allSatisfy({ $0 < 0 }) { return .maximum }
        return .saddle
    }
}

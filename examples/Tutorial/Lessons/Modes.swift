import DiffGen
import Foundation

/// From the essay: forward mode pushes one input direction per sweep, reverse mode pulls one
/// output weighting per sweep. So a wide function (many inputs, one output) wants reverse mode
/// and a tall one (one input, many outputs) wants forward mode — measured here, by operations
/// in the generated code and by time per call through the JIT.
public struct ModeComparison {
    public struct Measurement {
        public let shape: String
        public let mode: String
        public let sweeps: Int
        public let operations: Int
        public let nanosecondsPerCall: Double
        /// The Jacobian it computed (column-major), at `point`.
        public let jacobian: [Double]
    }
    public let size: Int
    public let measurements: [Measurement]
    /// The evaluation point of the wide function (the tall one is evaluated at its first entry).
    public let point: [Double]

    /// The wide function: s₀ = 0, sₖ₊₁ = sin(sₖ) + xₖ·cos(sₖ), f = s_n — every step depends on
    /// all the inputs before it, so a forward sweep seeded at xₖ walks the rest of the chain.
    public static func wide(_ x: Matrix) -> Expr {
        var s = x.context.constant(0)
        for k in 0..<x.count { s = sin(s) + x[k] * cos(s) }
        return s
    }

    /// The tall function: y₀ = t, yₖ₊₁ = sin(yₖ) + t·cos(yₖ), outputs y₁…y_m — output k
    /// depends on the whole chain before it, so a reverse sweep from it walks back that far.
    public static func tall(_ t: Expr, outputs m: Int) throws -> Matrix {
        var y = t, ys: [Expr] = []
        for _ in 0..<m { y = sin(y) + t * cos(y); ys.append(y) }
        return try Matrix(column: ys)
    }

    public init(size n: Int = 64, timingCalls: Int = 20_000) throws {
        var uniform = SplitMix(seed: 11)
        point = (0..<n).map { _ in uniform.uniform(-0.5, 0.5) }
        size = n
        let context = ExprContext()
        let x = context.vector("x", count: n), t = context.vector("t", count: 1)
        let f = Matrix(Self.wide(x)), g = try Self.tall(t[0], outputs: n)
        func units(_ count: Int) -> [Matrix] {
            let identity = Matrix.identity(count, in: context)
            return (0..<count).map { identity.column($0) }
        }
        let one = [Matrix(context.constant(1))]
        // Wide: n forward sweeps (one per input) or 1 reverse sweep; the Jacobian is 1×n.
        let wideForward = try Matrix.horizontal(try jvp(of: f, wrt: x, along: units(n)))
        let wideReverse = try vjp(of: f, wrt: x, cotangents: one)[0].transposed()
        // Tall: 1 forward sweep or m reverse sweeps (one per output); the Jacobian is m×1.
        let tallForward = try jvp(of: g, wrt: t, along: one)[0]
        let tallReverse = try Matrix.vertical(try vjp(of: g, wrt: t, cotangents: units(n)))
        let cases: [(String, String, Int, Matrix, Matrix)] = [
            ("wide (\(n) inputs → 1 output)", "forward", n, x, wideForward), ("wide (\(n) inputs → 1 output)", "reverse", 1, x, wideReverse),
            ("tall (1 input → \(n) outputs)", "forward", 1, t, tallForward), ("tall (1 input → \(n) outputs)", "reverse", n, t, tallReverse),
        ]
        let point = self.point
        measurements = try cases.map { shape, mode, sweeps, input, jacobian in
            let function = try Function("\(mode)_jacobian", inputs: [("in", input)], outputs: [("J", jacobian)])
            let native = try function.compiled()
            let at = input.count == 1 ? [point[0]] : point
            return Measurement(shape: shape, mode: mode, sweeps: sweeps, operations: function.operationCount,
                               nanosecondsPerCall: Self.time(native, at: at, calls: timingCalls), jacobian: try native([at])[0])
        }
    }

    /// Median over 5 runs of the allocation-free call, in nanoseconds.
    static func time(_ native: NativeFunction, at point: [Double], calls: Int) -> Double {
        let workspace = Workspace(native)
        let input = workspace.input(0)
        for (k, v) in point.enumerated() { input[k] = v }
        let runs = (0..<5).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { workspace.run() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(max(calls, 1))
        }
        return runs.sorted()[2]
    }
}

/// A Hessian-vector product (forward over reverse) against forming the whole Hessian.
public struct HessianVectorProduct {
    public let size: Int
    public let hvpOperations: Int
    public let hessianOperations: Int
    /// ∇²f·v by the product, and the whole Hessian (column-major), at `point` along `direction`.
    public let product: [Double]
    public let hessian: [Double]
    public let point: [Double]
    public let direction: [Double]

    public init(size n: Int = 64) throws {
        var uniform = SplitMix(seed: 13)
        point = (0..<n).map { _ in uniform.uniform(-0.5, 0.5) }
        direction = (0..<n).map { _ in uniform.uniform(-1, 1) }
        let context = ExprContext()
        let x = context.vector("x", count: n), v = context.vector("v", count: n)
        let f = ModeComparison.wide(x)
        let product = try Function("hvp", inputs: [("x", x), ("v", v)], outputs: [("Hv", try hvp(of: f, wrt: x, along: v))])
        let whole = try Function("hessian", inputs: [("x", x)], outputs: [("H", try DiffGen.hessian(of: f, wrt: x))])
        (hvpOperations, hessianOperations) = (product.operationCount, whole.operationCount)
        self.product = try product.compiled()([point, direction])[0]
        hessian = try whole.compiled()([point])[0]
        size = n
    }
}

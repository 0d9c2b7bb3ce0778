import DiffGen

/// The reference problems of `shared/bench/PROBLEMS.md`, built in the Swift DSL.
///
/// Each builder returns the function's inputs and the base output(s); derivative products are
/// added by the stages that need them.
public enum ReferenceProblems {
    /// The default evaluation point: `v[k] = 0.5*sin(1 + 0.7k) + 0.1`.
    public static func defaultPoint(_ n: Int, offset: Int = 0) -> [Double] {
        (0..<n).map { 0.5 * _sin(1 + 0.7 * Double($0 + offset)) + 0.1 }
    }

    /// Franka Panda forward kinematics (modified DH): q ∈ R⁷ → [position; rotation row-major] ∈ R¹².
    public static func pandaFK(_ context: ExprContext) throws -> Function {
        let q = context.vector("q", count: 7)
        let links: [(a: Double, d: Double, alpha: Double)] = [
            (0, 0.333, 0), (0, 0, -.pi / 2), (0, 0.316, .pi / 2), (0.0825, 0, .pi / 2),
            (-0.0825, 0.384, -.pi / 2), (0, 0, .pi / 2), (0.088, 0, .pi / 2),
        ]
        var t = Matrix.modifiedDH(a: links[0].a, d: links[0].d, alpha: links[0].alpha, theta: q[0])
        for i in 1..<7 {
            t = try t * Matrix.modifiedDH(a: links[i].a, d: links[i].d, alpha: links[i].alpha, theta: q[i])
        }
        t = try t * Matrix.modifiedDH(a: 0, d: 0.107, alpha: 0, theta: context.constant(0))
        let f = try Matrix(column: [t[0, 3], t[1, 3], t[2, 3],
                                    t[0, 0], t[0, 1], t[0, 2],
                                    t[1, 0], t[1, 1], t[1, 2],
                                    t[2, 0], t[2, 1], t[2, 2]])
        return try Function("panda_fk", inputs: [("q", q)], outputs: [("f", f)])
    }

    /// Cart-pole dynamics ẋ = f(x, u).
    public static func cartpoleODE(_ x: [Expr], _ u: Expr) -> [Expr] {
        let (bigM, m, l, g) = (1.0, 0.1, 0.5, 9.81)
        let (theta, omega) = (x[1], x[3])
        let (s, c) = (sin(theta), cos(theta))
        let thetaDDot = (g * s - c * ((u + m * l * sq(omega) * s) / (bigM + m)))
            / (l * (4.0 / 3.0 - m * sq(c) / (bigM + m)))
        let pDDot = (u + m * l * (sq(omega) * s - thetaDDot * c)) / (bigM + m)
        return [x[2], x[3], pDDot, thetaDDot]
    }

    /// One classical RK4 step of the cart-pole with dt = 0.05, u held constant.
    public static func cartpoleRK4(_ x: [Expr], _ u: Expr) -> [Expr] {
        let dt = 0.05
        func axpy(_ a: Double, _ k: [Expr]) -> [Expr] { (0..<4).map { x[$0] + a * k[$0] } }
        let k1 = cartpoleODE(x, u)
        let k2 = cartpoleODE(axpy(dt / 2, k1), u)
        let k3 = cartpoleODE(axpy(dt / 2, k2), u)
        let k4 = cartpoleODE(axpy(dt, k3), u)
        return (0..<4).map { x[$0] + dt / 6 * (k1[$0] + 2 * k2[$0] + 2 * k3[$0] + k4[$0]) }
    }

    /// Cart-pole single RK4 step: xu = [p, θ, v, ω, F] → Φ ∈ R⁴.
    public static func cartpoleStep(_ context: ExprContext) throws -> Function {
        let xu = context.vector("xu", count: 5)
        let x = (0..<4).map { xu[$0] }
        let phi = try Matrix(column: cartpoleRK4(x, xu[4]))
        return try Function("cartpole_step", inputs: [("xu", xu)], outputs: [("phi", phi)])
    }

    /// The cart-pole multiple-shooting NLP (N = 20): decision vector w ∈ R¹⁰⁴, multipliers λ ∈ R⁸⁰
    /// and weight σ; returns the pieces the products are built from.
    public struct MultipleShooting {
        public let w: Matrix
        public let lambda: Matrix
        public let sigma: Expr
        /// Constraints g(w) ∈ R⁸⁰: x_{k+1} − Φ(x_k, u_k).
        public let constraints: Matrix
        /// Objective J(w) = Σ x_kᵀQx_k + R u_k² + x_Nᵀ Q x_N.
        public let objective: Expr
    }

    public static func cartpoleMultipleShooting(_ context: ExprContext, intervals n: Int = 20) throws -> MultipleShooting {
        let w = context.vector("w", count: 5 * n + 4)
        let lambda = context.vector("lambda", count: 4 * n)
        let sigma = context.symbol("sigma")
        let q = [1.0, 10, 0.1, 0.1], r = 0.01
        func state(_ k: Int) -> [Expr] { (0..<4).map { w[5 * k + $0] } }
        var g: [Expr] = []
        var objective: Expr? = nil
        func add(_ term: Expr) { objective = objective.map { $0 + term } ?? term }
        for k in 0..<n {
            let (x, u) = (state(k), w[5 * k + 4])
            let phi = cartpoleRK4(x, u)
            let next = state(k + 1)
            for i in 0..<4 { g.append(next[i] - phi[i]) }
            for i in 0..<4 { add(q[i] * sq(x[i])) }
            add(r * sq(u))
        }
        for (i, xi) in state(n).enumerated() { add(q[i] * sq(xi)) }
        return MultipleShooting(w: w, lambda: lambda, sigma: sigma, constraints: try Matrix(column: g), objective: objective!)
    }

    /// Deep chain: x_{k+1} = sin(x_k)·x_k + (0.1·x_k)·p for `steps` steps; z = [x0, p] → x_K.
    public static func deepChain(_ context: ExprContext, steps: Int) throws -> Function {
        let z = context.vector("z", count: 2)
        let p = z[1]
        var x = z[0]
        for _ in 0..<steps { x = sin(x) * x + (0.1 * x) * p }
        return try Function("deep_chain", inputs: [("z", z)], outputs: [("f", Matrix(x))])
    }

    /// Softened gravitational potential of `bodies` bodies with masses 1 + i/n; r ∈ R³ⁿ → E.
    public static func nbodyEnergy(_ context: ExprContext, bodies n: Int = 30) throws -> Function {
        let r = context.vector("r", count: 3 * n)
        var energy: Expr? = nil
        for i in 0..<n {
            for j in (i + 1)..<n {
                let (mi, mj) = (1 + Double(i) / Double(n), 1 + Double(j) / Double(n))
                let d2 = sq(r[3 * i] - r[3 * j]) + sq(r[3 * i + 1] - r[3 * j + 1]) + sq(r[3 * i + 2] - r[3 * j + 2])
                let term = (mi * mj) / sqrt(d2 + 0.01)
                energy = energy.map { $0 - term } ?? -term
            }
        }
        return try Function("nbody_energy", inputs: [("r", r)], outputs: [("f", Matrix(energy!))])
    }

    /// Chained Rosenbrock: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)².
    public static func rosenbrock(_ context: ExprContext, n: Int) throws -> Function {
        let x = context.vector("x", count: n)
        var f: Expr? = nil
        for i in 0..<(n - 1) {
            let term = 100 * sq(x[i + 1] - sq(x[i])) + sq(1 - x[i])
            f = f.map { $0 + term } ?? term
        }
        return try Function("rosenbrock_ext", inputs: [("x", x)], outputs: [("f", Matrix(f!))])
    }

    /// The 2-8-8-1 tanh network y(v) with all weights, biases and the input in one vector v ∈ R¹⁰⁷.
    public static func mlp(_ context: ExprContext) throws -> Function {
        let v = context.vector("v", count: 107)
        func block(_ offset: Int, rows: Int, cols: Int) throws -> Matrix {
            // Row-major in v: W[i][j] = v[offset + cols*i + j].
            try Matrix(rows: (0..<rows).map { i in (0..<cols).map { j in v[offset + cols * i + j] } })
        }
        let w1 = try block(0, rows: 8, cols: 2), b1 = v[16..<24]
        let w2 = try block(24, rows: 8, cols: 8), b2 = v[88..<96]
        let w3 = try block(96, rows: 1, cols: 8), b3 = v[104]
        let x = v[105..<107]
        let h1 = try (w1 * x + b1).applying(tanh)
        let h2 = try (w2 * h1 + b2).applying(tanh)
        let y = try (w3 * h2)[0] + b3
        return try Function("mlp", inputs: [("v", v)], outputs: [("f", Matrix(y))])
    }
}

#if canImport(Glibc)
import Glibc
private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Darwin
private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
#endif

extension ReferenceProblems {
    /// The chained Rosenbrock as a map: one term over the window (x[i], x[i+1]), n − 1 instances,
    /// summed.
    public static func rosenbrockMap(n: Int) throws -> MappedFunction {
        let context = ExprContext()
        let (a, b) = (context.symbol("a"), context.symbol("b"))
        let term = 100 * sq(b - sq(a)) + sq(1 - a)
        let body = try Function("rosenbrock_term", inputs: [("a", Matrix(a)), ("b", Matrix(b))], outputs: [("f", Matrix(term))])
        return try MappedFunction("rosenbrock_map", body: body, count: n - 1, inputs: [("x", n)],
                                  windows: [Window(input: 0, offset: 0, stride: 1), Window(input: 0, offset: 1, stride: 1)],
                                  reduction: .sum)
    }

    /// The cart-pole multiple-shooting constraints as maps over the N intervals of
    /// w = [x₀, u₀, x₁, u₁, …, x_N]: `gaps` stacks g_k = x_{k+1} − Φ(x_k, u_k) (the flat
    /// `constraints`), `lagrangian` sums λ_kᵀ g_k over the multipliers λ ∈ R⁴ᴺ.
    public static func cartpoleShootingMaps(intervals n: Int) throws -> (gaps: MappedFunction, lagrangian: MappedFunction) {
        let context = ExprContext()
        let x = context.vector("x", count: 4), u = context.vector("u", count: 1), next = context.vector("next", count: 4)
        let lambda = context.vector("lambda", count: 4)
        let phi = cartpoleRK4((0..<4).map { x[$0] }, u[0])
        let gap = (0..<4).map { next[$0] - phi[$0] }
        let body = try Function("cartpole_gap", inputs: [("x", x), ("u", u), ("next", next)], outputs: [("g", try Matrix(column: gap))])
        let weighted = (1..<4).reduce(lambda[0] * gap[0]) { $0 + lambda[$1] * gap[$1] }
        let lagrangianBody = try Function("cartpole_gap_lagrangian", inputs: [("x", x), ("u", u), ("next", next), ("lambda", lambda)],
                                          outputs: [("l", Matrix(weighted))])
        let windows = [Window(input: 0, offset: 0, stride: 5), Window(input: 0, offset: 4, stride: 5), Window(input: 0, offset: 5, stride: 5)]
        let w = ("w", 5 * n + 4)
        return (try MappedFunction("cartpole_gaps", body: body, count: n, inputs: [w], windows: windows),
                try MappedFunction("cartpole_gap_lagrangian", body: lagrangianBody, count: n, inputs: [w, ("lambda", 4 * n)],
                                   windows: windows + [Window(input: 1, offset: 0, stride: 4)], reduction: .sum))
    }
}

extension ReferenceProblems {
    /// The deep chain as a fold of one step over z = [x₀, p].
    public static func deepChainFold(steps: Int, checkpoint: Int? = nil) throws -> FoldedFunction {
        let context = ExprContext()
        let (x, p) = (context.vector("x", count: 1), context.vector("p", count: 1))
        let step = try Function("chain_step", inputs: [("x", x), ("p", p)], outputs: [("f", Matrix(sin(x[0]) * x[0] + (0.1 * x[0]) * p[0]))])
        return try FoldedFunction("deep_chain_fold", step: step, count: steps, inputs: [("z", 2)],
                                  initial: Window(input: 0, offset: 0, stride: 0), windows: [.shared(0, offset: 1)], checkpoint: checkpoint)
    }

    /// The cart-pole rolled out over a horizon: x₀ ∈ R⁴ and inputs u ∈ Rᴺ → x_N (RK4 steps).
    public static func cartpoleRolloutFold(horizon n: Int, checkpoint: Int? = nil) throws -> FoldedFunction {
        let context = ExprContext()
        let (x, u) = (context.vector("x", count: 4), context.vector("u", count: 1))
        let step = try Function("cartpole_rk4_step", inputs: [("x", x), ("u", u)],
                                outputs: [("next", try Matrix(column: cartpoleRK4((0..<4).map { x[$0] }, u[0])))])
        return try FoldedFunction("cartpole_rollout", step: step, count: n, inputs: [("x0", 4), ("u", n)],
                                  initial: Window(input: 0, offset: 0, stride: 0), windows: [Window(input: 1, offset: 0, stride: 1)],
                                  checkpoint: checkpoint)
    }
}

extension ReferenceProblems {
    /// The cart-pole multiple-shooting problem with the RK4 step called, not inlined: `gaps`
    /// (g_k = x_{k+1} − Φ(x_k, u_k) over w = [x₀, u₀, …, x_N]) and `lagrangian` (the objective plus
    /// λᵀg over w and λ), both calling `cartpole_step` once per interval.
    public static func cartpoleShootingCalls(intervals n: Int) throws -> (gaps: CallingFunction, lagrangian: CallingFunction) {
        let step = try cartpoleStep(ExprContext())
        let context = ExprContext()
        let w = context.vector("w", count: 5 * n + 4), lambda = context.vector("lambda", count: 4 * n)
        let calls = CallRecorder(context)
        let q = [1.0, 10, 0.1, 0.1], r = 0.01
        var g: [Expr] = []
        var objective = context.constant(0)
        for k in 0..<n {
            let phi = try calls.call(step, [w[(5 * k)..<(5 * k + 5)]])[0]
            for i in 0..<4 { g.append(w[5 * (k + 1) + i] - phi[i]) }
            for i in 0..<4 { objective = objective + q[i] * sq(w[5 * k + i]) }
            objective = objective + r * sq(w[5 * k + 4])
        }
        for i in 0..<4 { objective = objective + q[i] * sq(w[5 * n + i]) }
        let gaps = try Matrix(column: g)
        let lagrangian = (0..<g.count).reduce(objective) { $0 + lambda[$1] * g[$1] }
        return (try CallingFunction("cartpole_gaps_calls", inputs: [("w", w)], outputs: [("g", gaps)], calls: calls),
                try CallingFunction("cartpole_lagrangian_calls", inputs: [("w", w), ("lambda", lambda)], outputs: [("l", Matrix(lagrangian))], calls: calls))
    }
}

import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing


/// The Rosenbrock map's value, gradient-free Jacobian and Hessian equal the flat graph's
/// (pattern exactly, values to rounding), on both tiers, and the C does not grow with n.
@Test func rosenbrockMapMatchesTheFlatGraph() throws {
    for n in [2, 3, 50] {
        let map = try ReferenceProblems.rosenbrockMap(n: n)
        let context = ExprContext()
        let flat = try ReferenceProblems.rosenbrock(context, n: n)
        let x = try flat.input(0)
        let f = try flat.output(0)[0]
        let flatProducts = try Function("flat_products_\(n)", inputs: [("x", x)],
                                        outputs: [("f", Matrix(f)), ("jac", try sparseJacobian(of: Matrix(f), wrt: x)), ("hess", try sparseHessian(of: f, wrt: x))])
        let reference = try flatProducts.compiled()
        var rng = SeededRandom(seed: UInt64(n))
        let point = (0..<n).map { _ in rng.uniform(-1.5...1.5) }
        let want = try reference([point])
        for (k, product) in [MapProduct.value(of: map, name: "ros_f_\(n)"), try MapProduct.jacobian(of: map, output: 0, wrt: 0, name: "ros_j_\(n)"),
                             try MapProduct.hessian(of: map, output: 0, wrt: 0, name: "ros_h_\(n)")].enumerated() {
            let native = try product.compiled(optimizeWith: SystemCompiler())
            #expect(native.outputShapes[0] == reference.outputShapes[k])
            #expect(native.outputSizes[0] == reference.outputSizes[k], "product \(k), n = \(n): pattern size")
            for tier in ["tcc", "optimized"] {
                if tier == "optimized" { #expect(native.waitForOptimization(seconds: 120) == .optimized) }
                let got = try native([point])[0]
                for e in got.indices where !isClose(got[e], want[k][e], tolerance: 1e-13) {
                    Issue.record("n = \(n), product \(k), \(tier), nonzero \(e): map \(got[e]), flat \(want[k][e])")
                }
            }
        }
    }
    // The Hessian's code is the same for 1e3 and 1e5 terms but for the digits of n; only its
    // sparsity array (data CasADi's interface hands out, one entry per nonzero) grows.
    let sizes = try [1000, 100_000].map { n in
        let source = try MapProduct.hessian(of: ReferenceProblems.rosenbrockMap(n: n), output: 0, wrt: 0, name: "h").generate(baseName: "h").source!
        return source.split(separator: "\n").filter { !$0.contains("h_s_out0[") }.joined().count
    }
    #expect(abs(sizes[0] - sizes[1]) < 200, "\(sizes)")
}

/// The cart-pole shooting gaps as a map: their Jacobian and the Hessian of λᵀg equal the flat
/// graph's, pattern for pattern, at N = 3 and 20.
@Test func cartpoleShootingMapsMatchTheFlatGraph() throws {
    for n in [3, 20] {
        let (gaps, lagrangian) = try ReferenceProblems.cartpoleShootingMaps(intervals: n)
        let context = ExprContext()
        let flat = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: n)
        let weighted = (1..<flat.constraints.count).reduce(flat.lambda[0] * flat.constraints[0]) { $0 + flat.lambda[$1] * flat.constraints[$1] }
        let reference = try Function("flat_ms_\(n)", inputs: [("w", flat.w), ("lambda", flat.lambda)], outputs: [
            ("g", flat.constraints), ("jac", try sparseJacobian(of: flat.constraints, wrt: flat.w)), ("hess", try sparseHessian(of: weighted, wrt: flat.w)),
        ]).compiled()
        var rng = SeededRandom(seed: 5 + UInt64(n))
        let w = (0..<(5 * n + 4)).map { _ in rng.uniform(-1...1) }, lambda = (0..<(4 * n)).map { _ in rng.uniform(-2...2) }
        let want = try reference([w, lambda])
        let products = [MapProduct.value(of: gaps, name: "gaps_\(n)"), try MapProduct.jacobian(of: gaps, output: 0, wrt: 0, name: "gaps_jac_\(n)"),
                        try MapProduct.hessian(of: lagrangian, output: 0, wrt: 0, name: "gaps_hess_\(n)")]
        for (k, product) in products.enumerated() {
            let native = try product.compiled()
            #expect(native.outputSizes[0] == reference.outputSizes[k], "N = \(n), product \(k)")
            let got = try native(k == 2 ? [w, lambda] : [w])[0]
            for e in got.indices where !isClose(got[e], want[k][e], tolerance: 1e-12) {
                Issue.record("N = \(n), product \(k), nonzero \(e): map \(got[e]), flat \(want[k][e])")
            }
        }
    }
}

/// A map with shared parameters and overlapping windows: its Jacobian against central
/// differences of its own value, entry by entry over the dense matrix (so the pattern is
/// checked too: entries outside it must have zero differences).
@Test func mapJacobianAgreesWithFiniteDifferences() throws {
    let context = ExprContext()
    let (a, b, p) = (context.vector("a", count: 2), context.vector("b", count: 2), context.vector("p", count: 1))
    let body = try Function("mixed", inputs: [("a", a), ("b", b), ("p", p)], outputs: [
        ("y", try Matrix(column: [sin(a[0] * b[1]) + p[0] * a[1], exp(0.3 * b[0]) * a[0] - p[0] * p[0] * b[1]])),
    ])
    let count = 6
    let map = try MappedFunction("mixed_map", body: body, count: count, inputs: [("x", 2 * count + 2), ("p", 1)],
                                 windows: [Window(input: 0, offset: 0, stride: 2), Window(input: 0, offset: 2, stride: 2), .shared(1)])
    let value = try MapProduct.value(of: map).compiled()
    var rng = SeededRandom(seed: 11)
    let x = (0..<(2 * count + 2)).map { _ in rng.uniform(-1...1) }, parameter = [0.7]
    for input in 0..<2 {
        let product = try MapProduct.jacobian(of: map, output: 0, wrt: input, name: "mixed_jac_\(input)")
        let jacobian = try product.compiled()
        let nonzeros = try jacobian([x, parameter])[0]
        let pattern = product.outputPattern(0)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: pattern.cols), count: pattern.rows)
        for (e, entry) in pattern.entries.enumerated() { dense[entry.row][entry.col] = nonzeros[e] }
        let h = 1e-6
        for j in 0..<pattern.cols {
            var (plus, minus) = ([x, parameter], [x, parameter])
            plus[input][j] += h
            minus[input][j] -= h
            let (up, down) = (try value(plus)[0], try value(minus)[0])
            for i in 0..<pattern.rows where abs((up[i] - down[i]) / (2 * h) - dense[i][j]) > 1e-8 {
                Issue.record("input \(input), d y[\(i)] / d x[\(j)]: map \(dense[i][j]), differences \((up[i] - down[i]) / (2 * h))")
            }
        }
    }
}

/// The deep chain as a fold: its value and gradient equal the unrolled graph's (every state kept,
/// and with checkpoints every 7 steps), on both tiers.
@Test func deepChainFoldMatchesTheUnrolledGraph() throws {
    for steps in [1, 5, 300] {
        let context = ExprContext()
        let flat = try ReferenceProblems.deepChain(context, steps: steps)
        let z = try flat.input(0)
        let reference = try Function("chain_flat_\(steps)", inputs: [("z", z)], outputs: [
            ("f", try flat.output(0)), ("grad", try gradient(of: try flat.output(0)[0], wrt: z)),
        ]).compiled()
        let point = ReferenceProblems.defaultPoint(2)
        let want = try reference([point])
        for checkpoint in [nil, 7] {
            let fold = try ReferenceProblems.deepChainFold(steps: steps, checkpoint: checkpoint)
            let value = try fold.compiled(optimizeWith: SystemCompiler())
            let grad = try FoldJacobian(of: fold, wrt: 0, name: "chain_grad_\(steps)_\(checkpoint ?? 0)").compiled(optimizeWith: SystemCompiler())
            #expect(grad.outputShapes[0] == (2, 1) || grad.outputShapes[0] == (rows: 2, cols: 1))
            for tier in ["tcc", "optimized"] {
                if tier == "optimized" { #expect(value.waitForOptimization(seconds: 120) == .optimized && grad.waitForOptimization(seconds: 120) == .optimized) }
                let (f, g) = (try value([point])[0], try grad([point])[0])
                #expect(isClose(f[0], want[0][0], tolerance: 1e-13), "\(steps) steps, \(tier): \(f[0]) vs \(want[0][0])")
                for e in 0..<2 where !isClose(g[e], want[1][e], tolerance: 1e-12) {
                    Issue.record("\(steps) steps, checkpoint \(checkpoint ?? 0), \(tier), grad[\(e)]: fold \(g[e]), unrolled \(want[1][e])")
                }
            }
        }
    }
}

/// A fold with a vector state and per-step inputs: the cart-pole rollout's Jacobians with
/// respect to the initial state and the input sequence equal the unrolled graph's, and central
/// differences of the fold's own value.
@Test func cartpoleRolloutFoldJacobians() throws {
    let n = 12
    let context = ExprContext()
    let x0 = context.vector("x0", count: 4), u = context.vector("u", count: n)
    var x = (0..<4).map { x0[$0] }
    for k in 0..<n { x = ReferenceProblems.cartpoleRK4(x, u[k]) }
    let final = try Matrix(column: x)
    let reference = try Function("rollout_flat", inputs: [("x0", x0), ("u", u)], outputs: [
        ("xN", final), ("jx", try jacobian(of: final, wrt: x0)), ("ju", try jacobian(of: final, wrt: u)),
    ]).compiled()
    var rng = SeededRandom(seed: 3)
    let point = [(0..<4).map { _ in rng.uniform(-0.3...0.3) }, (0..<n).map { _ in rng.uniform(-2...2) }]
    let want = try reference(point)
    for checkpoint in [nil, 5] {
        let fold = try ReferenceProblems.cartpoleRolloutFold(horizon: n, checkpoint: checkpoint)
        let value = try fold.compiled()
        #expect(zip(try value(point)[0], want[0]).allSatisfy { isClose($0, $1, tolerance: 1e-13) })
        for input in 0..<2 {
            let jac = try FoldJacobian(of: fold, wrt: input, name: "rollout_jac_\(input)_\(checkpoint ?? 0)").compiled()
            let got = try jac(point)[0]
            for e in got.indices where !isClose(got[e], want[1 + input][e], tolerance: 1e-12) {
                Issue.record("checkpoint \(checkpoint ?? 0), input \(input), entry \(e): fold \(got[e]), unrolled \(want[1 + input][e])")
            }
            let h = 1e-6
            for j in 0..<point[input].count {
                var (plus, minus) = (point, point)
                plus[input][j] += h
                minus[input][j] -= h
                let (up, down) = (try value(plus)[0], try value(minus)[0])
                for i in 0..<4 where abs((up[i] - down[i]) / (2 * h) - got[j * 4 + i]) > 1e-6 * max(1, abs(got[j * 4 + i])) {
                    Issue.record("input \(input), d x[\(i)] / d in[\(j)]: fold \(got[j * 4 + i]), differences \((up[i] - down[i]) / (2 * h))")
                }
            }
        }
    }
}

/// A map's derivative patterns are the body's placed block by block, so colorings of them need
/// the body's colors whatever the instance count: compressed sweeps over a map cost what one
/// instance costs (the map itself evaluates each block directly and needs none).
@Test func mapPatternsColorLikeTheirBody() throws {
    var counts: [[Int]] = []
    for n in [20, 200] {
        let (gaps, lagrangian) = try ReferenceProblems.cartpoleShootingMaps(intervals: n)
        let jacobian = try MapProduct.jacobian(of: gaps, output: 0, wrt: 0).outputPattern(0)
        let hessian = try MapProduct.hessian(of: lagrangian, output: 0, wrt: 0).outputPattern(0)
        let columns = jacobian.columnColoring(), star = hessian.starColoring()
        #expect(ColoringCheck.isStructurallyOrthogonal(jacobian, columns: columns) && ColoringCheck.isStar(hessian, star))
        counts.append([columns.count, star.count])
    }
    #expect(counts[0] == counts[1], "colors grow with the horizon: \(counts)")
    #expect(counts[0][0] <= 10, "the body's Jacobian has 9 columns: \(counts[0])")
}

/// mapaccum: every state of the cart-pole rollout and their Jacobian with respect to the initial
/// state and the inputs equal the unrolled graph's.
@Test func everyStateFoldMatchesTheUnrolledGraph() throws {
    let n = 7
    let context = ExprContext()
    let x0 = context.vector("x0", count: 4), u = context.vector("u", count: n)
    var x = (0..<4).map { x0[$0] }
    var states: [Expr] = []
    for k in 0..<n {
        x = ReferenceProblems.cartpoleRK4(x, u[k])
        states += x
    }
    let all = try Matrix(column: states)
    let reference = try Function("states_flat", inputs: [("x0", x0), ("u", u)], outputs: [
        ("states", all), ("jx", try jacobian(of: all, wrt: x0)), ("ju", try jacobian(of: all, wrt: u)),
    ]).compiled()
    var rng = SeededRandom(seed: 17)
    let point = [(0..<4).map { _ in rng.uniform(-0.3...0.3) }, (0..<n).map { _ in rng.uniform(-2...2) }]
    let want = try reference(point)
    let rollout = try ReferenceProblems.cartpoleRolloutFold(horizon: n)
    let fold = try FoldedFunction("states_fold", step: rollout.step, count: n, inputs: [("x0", 4), ("u", n)],
                                  initial: rollout.initial, windows: rollout.windows, everyState: true)
    let value = try fold.compiled(optimizeWith: SystemCompiler())
    #expect(value.outputShapes[0] == (4, n) || value.outputShapes[0] == (rows: 4, cols: n))
    #expect(value.waitForOptimization(seconds: 120) == .optimized)
    #expect(zip(try value(point)[0], want[0]).allSatisfy { isClose($0, $1, tolerance: 1e-13) })
    for input in 0..<2 {
        let jacobian = try FoldJacobian(of: fold, wrt: input, name: "states_jac_\(input)").compiled()
        let got = try jacobian(point)[0]
        #expect(got.count == want[1 + input].count)
        for e in got.indices where !isClose(got[e], want[1 + input][e], tolerance: 1e-12) {
            Issue.record("input \(input), entry \(e): fold \(got[e]), unrolled \(want[1 + input][e])")
        }
    }
}

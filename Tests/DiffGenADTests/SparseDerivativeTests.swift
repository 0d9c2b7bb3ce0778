import DiffGen
import Foundation
import ReferenceProblems
import Testing

/// A Jacobian with a dense row and a dense column (arrowhead) is built from a bicoloring — three
/// sweeps, not one per variable — and matches central differences.
@Test func arrowheadJacobianUsesABicoloring() throws {
    let n = 40
    let context = ExprContext()
    let x = context.vector("x", count: n)
    var outputs = [(1..<n).reduce(sq(x[0])) { $0 + sq(x[$1]) * Double($1) }]
    for i in 1..<n { outputs.append(x[0] * 0.5 + sin(x[i])) }
    let f = try Matrix(column: outputs)
    let jac = try sparseJacobian(of: f, wrt: x)
    #expect(jac.pattern.nonzeroCount == 3 * n - 2)
    // One-sided colorings need n sweeps of about n operations each; three sweeps stay linear.
    let operations = context.graph.operationCount(reachableFrom: jac.nonzeros)
    #expect(operations < 12 * n, "\(operations) operations")
    let point = (0..<n).map { 0.3 + 0.01 * Double($0) }
    let report = try DerivativeCheck.jacobian(of: f, wrt: x, at: point)
    #expect(report.maxRelativeError < 1e-7, "\(report)")
}

/// Substitution recovery from an acyclic coloring (2 sweeps on a tridiagonal Hessian, where a star
/// coloring needs 3) gives the Hessian of fourth-order central differences.
@Test func acyclicRecoveryMatchesSecondDifferences() throws {
    let n = 12
    let context = ExprContext()
    let x = context.vector("x", count: n)
    var f = context.constant(0)
    for i in 0..<(n - 1) { f = f + sq(x[i + 1] - sq(x[i])) * 10 + cos(x[i] * x[i + 1]) }
    let hessian = try sparseHessian(of: f, wrt: x, recovery: .acyclic)
    #expect(hessian.pattern.nonzeroCount == 3 * n - 2)
    #expect(try worstSecondDifferenceError(hessian, of: f, wrt: x, at: (0..<n).map { 0.2 + 0.05 * Double($0) }) < 1e-5)
}

/// On a 3-D grid (the 7-point Laplacian's pattern) the star coloring comes from the bipartite
/// construction — 7 colors where greedy star coloring needs 11 — and its direct recovery gives
/// the Hessian of fourth-order central differences.
@Test func gridHessianFromTheBipartiteStarColoring() throws {
    let k = 4
    let context = ExprContext()
    let x = context.vector("x", count: k * k * k)
    func index(_ a: Int, _ b: Int, _ c: Int) -> Int { (a * k + b) * k + c }
    var f = context.constant(0)
    for a in 0..<k {
        for b in 0..<k {
            for c in 0..<k {
                let i = index(a, b, c)
                f = f + sq(sq(x[i])) * 0.1
                for j in [a + 1 < k ? index(a + 1, b, c) : -1, b + 1 < k ? index(a, b + 1, c) : -1, c + 1 < k ? index(a, b, c + 1) : -1] where j >= 0 {
                    f = f + cos(x[i] * x[j])
                }
            }
        }
    }
    let hessian = try sparseHessian(of: f, wrt: x)
    #expect(hessian.pattern.nonzeroCount == k * k * k + 2 * 3 * k * k * (k - 1))
    let star = hessian.pattern.starColoring()
    #expect(ColoringCheck.isStar(hessian.pattern, star))
    // A bound (CasADi needs 11), not the exact count of today's heuristic.
    #expect(star.count <= 7, "\(star.count) colors")
    #expect(try worstSecondDifferenceError(hessian, of: f, wrt: x, at: (0..<(k * k * k)).map { 0.1 + 0.02 * Double($0 % 17) }) < 1e-5)
}

/// The largest difference between a sparse Hessian's entries and fourth-order central second
/// differences of `f`, relative to max(1, |reference|).
private func worstSecondDifferenceError(_ hessian: SparseMatrix, of f: Expr, wrt x: Matrix, at point: [Double]) throws -> Double {
    let values = try Interpreter(try Function("h", inputs: [("x", x)], outputs: [("h", hessian)])).evaluate([point])[0]
    let value = try Interpreter(try Function("f", inputs: [("x", x)], outputs: [("f", Matrix(f))]))
    func objective(_ p: [Double]) throws -> Double { try value.evaluate([p])[0][0] }
    let h = 2e-4
    var worst = 0.0
    for (k, (i, j)) in hessian.pattern.entries.enumerated() {
        func shifted(_ a: Double, _ b: Double) throws -> Double {
            var p = point
            p[i] += a * h
            p[j] += b * h
            return try objective(p)
        }
        let reference = (try shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (4 * h * h)
        worst = max(worst, abs(values[k] - reference) / max(1, abs(reference)))
    }
    return worst
}

/// On a random sparse Hessian (a seeded random graph: f = Σ over edges cos(xᵢxⱼ) + Σ xᵢ⁴/10),
/// recovery by substitution from the acyclic coloring equals direct recovery from the star
/// coloring entry by entry (two independent recoveries) and second differences of f.
@Test func acyclicRecoveryOnARandomGraphMatchesStarRecovery() throws {
    let n = 60
    let pattern = PatternFamilies.randomSymmetric(n: n, perRow: 2, seed: 9)
    let context = ExprContext()
    let x = context.vector("x", count: n)
    var f = context.constant(0)
    for (i, j) in pattern.entries where i < j { f = f + cos(x[i] * x[j]) }
    for i in 0..<n { f = f + sq(sq(x[i])) * 0.1 }
    let acyclic = try sparseHessian(of: f, wrt: x, recovery: .acyclic)
    let star = try sparseHessian(of: f, wrt: x, recovery: .star)
    #expect(acyclic.pattern == star.pattern)
    let point = (0..<n).map { 0.3 + 0.7 * sin(Double($0)) }
    let values = try Interpreter(try Function("h", inputs: [("x", x)], outputs: [("a", acyclic), ("s", star)])).evaluate([point])
    for (a, s) in zip(values[0], values[1]) { #expect(abs(a - s) <= 1e-12 * max(1, abs(s))) }
    #expect(try worstSecondDifferenceError(acyclic, of: f, wrt: x, at: point) < 1e-5)
}

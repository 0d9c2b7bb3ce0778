import DiffGen
import Foundation
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
    let values = try Interpreter(try Function("h", inputs: [("x", x)], outputs: [("h", hessian)])).evaluate([(0..<n).map { 0.2 + 0.05 * Double($0) }])[0]
    let point = (0..<n).map { 0.2 + 0.05 * Double($0) }
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
    #expect(worst < 1e-5, "worst relative difference \(worst)")
}

import DiffGen
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

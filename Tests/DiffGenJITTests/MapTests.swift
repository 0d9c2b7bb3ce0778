import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// Evaluates a native function at one point with its sparse outputs' nonzeros.
private func values(_ native: NativeFunction, _ inputs: [[Double]]) throws -> [[Double]] { try native(inputs) }

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

import CLAPACK
import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

/// LAPACK's answer to A·x = b (column-major A, n×n): dposv for symmetric positive definite A,
/// else dgesv.
private func lapackSolve(_ a: [Double], _ b: [Double], n: Int, positiveDefinite: Bool) -> [Double] {
    var a = a, b = b
    var pivots = [Int32](repeating: 0, count: n)
    let info = positiveDefinite
        ? LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), 1, &a, Int32(n), &b, Int32(n))
        : LAPACKE_dgesv(LAPACK_COL_MAJOR, Int32(n), 1, &a, Int32(n), &pivots, &b, Int32(n))
    precondition(info == 0, "LAPACK info \(info)")
    return b
}

@Test(arguments: [true, false])
func inGraphSolvesMatchLAPACKAndDifferentiate(_ positiveDefinite: Bool) throws {
    let n = 6
    let context = ExprContext()
    let a = context.matrix("A", rows: n, cols: n), b = context.vector("b", count: n)
    let x = positiveDefinite ? try a.choleskySolve(b) : try a.solve(b)
    let f = try Function("solve", inputs: [("A", a), ("b", b)], outputs: [("x", x)])
    let interpreter = Interpreter(f)
    var rng = SeededRandom(seed: positiveDefinite ? 21 : 22)
    for _ in 0..<20 {
        let m = (0..<(n * n)).map { _ in rng.uniform(-1...1) }
        var values = m
        if positiveDefinite {
            // MᵀM + I: symmetric positive definite.
            for i in 0..<n { for j in 0..<n { values[i + n * j] = (0..<n).reduce(i == j ? 1 : 0) { $0 + m[$1 + n * i] * m[$1 + n * j] } } }
        }
        let rhs = (0..<n).map { _ in rng.uniform(-1...1) }
        let ours = try interpreter.evaluate([values, rhs])[0]
        let theirs = lapackSolve(values, rhs, n: n, positiveDefinite: positiveDefinite)
        for (u, v) in zip(ours, theirs) { #expect(abs(u - v) <= 1e-11 * max(1, abs(v)), "ours \(u), LAPACK \(v)") }
        // Derivatives flow through the solve: ∂x/∂(A, b) against central differences (whose own
        // error grows with A's condition) and complex step (exact to rounding).
        let report = try DerivativeCheck.jacobian(of: x, wrt: b, at: rhs, parameters: [(a, values)])
        #expect(report.maxRelativeError < 1e-6, "\(report)")
        let reportA = try DerivativeCheck.jacobian(of: x, wrt: a, at: values, parameters: [(b, rhs)])
        #expect(reportA.maxRelativeError < 1e-5, "\(reportA)")
        let complex = try #require(try DerivativeCheck.jacobianByComplexStep(of: x, wrt: a, at: values, parameters: [(b, rhs)]))
        #expect(complex.maxRelativeError < 1e-10, "\(complex)")
    }
}

/// The generated DLS step equals the same step computed outside the graph: J from the chain,
/// J·Jᵀ + λ²I solved by LAPACK's dposv, q + Jᵀy.
@Test func dampedLeastSquaresStepMatchesLAPACK() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/robots/panda.urdf").path
    let chain = try RobotChain(try URDF(text: try String(contentsOfFile: path, encoding: .utf8)), base: "panda_link0", tip: "panda_link8")
    let lambda = 0.05
    let step = Interpreter(try chain.dampedLeastSquaresStep(named: "dls", damping: lambda))
    let kinematics = Interpreter(try chain.function(named: "k"))
    var rng = SeededRandom(seed: 31)
    for _ in 0..<20 {
        let q = (0..<7).map { _ in rng.uniform(-2...2) }
        let target = (0..<3).map { _ in rng.uniform(-0.5...0.5) }
        let goal = try kinematics.evaluate([(0..<7).map { _ in rng.uniform(-2...2) }])[1]  // some rotation
        let ours = try step.evaluate([q, target, goal])
        let k = try kinematics.evaluate([q])
        let (p, r, j) = (k[0], k[1], k[2])
        // e = [target − p; ½ Σ R[:, i] × goal[:, i]]
        var e = (0..<3).map { target[$0] - p[$0] } + [0.0, 0, 0]
        for i in 0..<3 {
            let (a, b) = (Array(r[(3 * i)..<(3 * i + 3)]), Array(goal[(3 * i)..<(3 * i + 3)]))
            e[3] += 0.5 * (a[1] * b[2] - a[2] * b[1]); e[4] += 0.5 * (a[2] * b[0] - a[0] * b[2]); e[5] += 0.5 * (a[0] * b[1] - a[1] * b[0])
        }
        var a = [Double](repeating: 0, count: 36)
        for i in 0..<6 {
            for l in 0..<6 {
                var sum: Double = i == l ? lambda * lambda : 0
                for c in 0..<7 { sum += j[i + 6 * c] * j[l + 6 * c] }
                a[i + 6 * l] = sum
            }
        }
        let y = lapackSolve(a, e, n: 6, positiveDefinite: true)
        var next: [Double] = q
        for c in 0..<7 { for i in 0..<6 { next[c] += j[i + 6 * c] * y[i] } }
        for (u, v) in zip(ours[0], next) { #expect(Swift.abs(u - v) < 1e-12, "ours \(u), LAPACK \(v)") }
        let norm: Double = e.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        #expect(Swift.abs(ours[1][0] - norm) < 1e-12)
    }
}

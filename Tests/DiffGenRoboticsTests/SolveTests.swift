import CLAPACK
import DiffGen
import DiffGenTestSupport
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

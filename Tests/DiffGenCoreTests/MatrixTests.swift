import DiffGenCore
import DiffGenTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Evaluates a matrix of expressions over `symbols` at `values`, column-major.
private func values(_ m: Matrix, _ symbols: Matrix, _ point: [Double]) throws -> [Double] {
    let f = try Function("m", inputs: [("s", symbols)], outputs: [("m", m)])
    return try Interpreter(f).evaluate([point])[0]
}

/// Plain row-major product for reference.
private func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    a.map { row in (0..<b[0].count).map { j in zip(row, b.map { $0[j] }).reduce(0) { $0 + $1.0 * $1.1 } } }
}

@Test func matrixProductMatchesPlainArithmetic() throws {
    var rng = SeededRandom(seed: 3)
    let context = ExprContext()
    let s = context.vector("s", count: 12)
    let a = try Matrix(rows: [[s[0], s[1], s[2]], [s[3], s[4], s[5]]])
    let b = try Matrix(rows: [[s[6], s[7]], [s[8], s[9]], [s[10], s[11]]])
    let c = try a * b
    #expect(c.rows == 2 && c.cols == 2)
    for _ in 0..<50 {
        let p = (0..<12).map { _ in rng.uniform(-2...2) }
        let want = product([[p[0], p[1], p[2]], [p[3], p[4], p[5]]], [[p[6], p[7]], [p[8], p[9]], [p[10], p[11]]])
        let got = try values(c, s, p)
        for i in 0..<2 { for j in 0..<2 { #expect(isClose(got[i + 2 * j], want[i][j]), "seed 3") } }
    }
}

@Test func shapeMismatchesThrowWithBothShapes() throws {
    let context = ExprContext()
    let a = context.matrix("a", rows: 3, cols: 4)
    #expect(throws: ShapeError.self) { try a * a }
    let error = #expect(throws: ShapeError.self) { try a * a }
    #expect(error?.description.contains("3×4 times 3×4") == true)
    #expect(throws: ShapeError.self) { try a + a.transposed() }
    #expect(throws: ShapeError.self) { try context.vector("v", count: 3).dot(context.vector("w", count: 4)) }
    #expect(throws: ShapeError.self) { try context.vector("v", count: 2).cross(context.vector("w", count: 2)) }
    #expect(throws: ShapeError.self) { try Matrix.vertical([a, context.matrix("b", rows: 1, cols: 3)]) }
    #expect(throws: ShapeError.self) { try Matrix.horizontal([a, context.matrix("b", rows: 2, cols: 3)]) }
    #expect(throws: ShapeError.self) { try a.reshaped(rows: 5, cols: 2) }
    #expect(throws: ShapeError.self) { try Matrix(rows: [[context.symbol("x")], []]) }
}

@Test func structuralZerosAreSkippedInProducts() throws {
    let context = ExprContext()
    let x = context.symbol("x")
    let zero = context.constant(0)
    let a = try Matrix(rows: [[x, zero], [zero, x]])
    let v = try Matrix(column: [context.constant(1), context.constant(.infinity)])
    let r = try a * v
    // Row 0 is x*1 + 0*Inf: the structural zero is skipped, so no NaN appears.
    #expect(r[0].isIdentical(to: x))
    let f = try Function("f", inputs: [("x", Matrix(x))], outputs: [("r", r)])
    let out = try Interpreter(f).evaluate([[2]])[0]
    #expect(out[0] == 2 && out[1] == .infinity)
}

@Test func vectorHelpersMatchPlainArithmetic() throws {
    let context = ExprContext()
    let s = context.vector("s", count: 6)
    let (u, v) = (s[0..<3], s[3..<6])
    let outputs = try Matrix.vertical([
        Matrix(try u.dot(v)), try u.cross(v), Matrix(u.norm()), Matrix(u.sum()), try (u + v) - 2 * v,
    ])
    let p = [1.0, -2.0, 0.5, 3.0, 0.25, -1.0]
    let got = try values(outputs, s, p)
    let want = [
        p[0] * p[3] + p[1] * p[4] + p[2] * p[5],
        p[1] * p[5] - p[2] * p[4], p[2] * p[3] - p[0] * p[5], p[0] * p[4] - p[1] * p[3],
        (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).squareRoot(),
        p[0] + p[1] + p[2],
        p[0] - p[3], p[1] - p[4], p[2] - p[5],
    ]
    for (g, w) in zip(got, want) { #expect(isClose(g, w)) }
}

@Test func rotationsAreOrthonormalAndComposeLikeTheMath() throws {
    let context = ExprContext()
    let t = context.vector("t", count: 3)
    let r = try Matrix.rotationZ(t[2]) * Matrix.rotationY(t[1]) * Matrix.rotationX(t[0])
    let gram = try r.transposed() * r
    var rng = SeededRandom(seed: 5)
    for _ in 0..<30 {
        let p = (0..<3).map { _ in rng.uniform(-3...3) }
        let g = try values(gram, t, p)
        for i in 0..<3 { for j in 0..<3 { #expect(isClose(g[i + 3 * j], i == j ? 1 : 0, tolerance: 1e-14), "seed 5") } }
        // RotZ(γ) applied to e_x is (cos γ, sin γ, 0) when the other angles are zero.
        let rz = try values(Matrix.rotationZ(t[2]), t, [0, 0, p[2]])
        #expect(isClose(rz[0], Glibc.cos(p[2])) && isClose(rz[1], Glibc.sin(p[2])) && rz[2] == 0)
    }
}

@Test func homogeneousTransformsAndExactTwists() throws {
    let context = ExprContext()
    let q = context.symbol("q")
    let link = Matrix.modifiedDH(a: 0.1, d: 0.2, alpha: -.pi / 2, theta: q)
    // cos(-π/2) is taken as exactly 0: those entries are structural zeros, not 6e-17·sin(q).
    #expect(link[1, 0].constantValue == 0 && link[1, 1].constantValue == 0)
    #expect(link[1, 2].constantValue == 1)
    let h = try Matrix.homogeneous(rotation: Matrix.rotationX(q), translation: try Matrix(column: [q, q * 2, context.constant(3)]))
    #expect(h.rows == 4 && h.cols == 4 && h[3, 3].constantValue == 1 && h[3, 0].constantValue == 0)
    #expect(exactCosSin(.pi).cos == -1 && exactCosSin(.pi).sin == 0)
    #expect(exactCosSin(0.3).cos == Glibc.cos(0.3))
}

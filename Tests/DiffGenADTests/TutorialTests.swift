import DiffGenAD
import DiffGenCore
import DiffGenTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

// The cases of the seed tutorial on Jacobians and Hessians, against their analytic values.

@Test(arguments: [[1.2, -0.8], [0.3, 2.0]])
func jacobianOfTanhLayerIsDiagTimesW(_ point: [Double]) throws {
    let w = [[1.0, -0.7], [0.4, 0.9]], b = [0.5, -0.3]
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let layer = try (Matrix(context, constants: w) * x + Matrix(context, constants: [[b[0]], [b[1]]])).applying(tanh)
    let j = try evaluate(jacobian(of: layer, wrt: x), at: [(x, point)])
    for i in 0..<2 {
        let t = Glibc.tanh(w[i][0] * point[0] + w[i][1] * point[1] + b[i])
        for k in 0..<2 {
            #expect(isClose(j[i + 2 * k], (1 - t * t) * w[i][k], tolerance: 1e-15), "J[\(i)][\(k)] at \(point)")
        }
    }
}

@Test func hessianOfQuadraticFormIsASymmetrized() throws {
    for seed in UInt64(0)..<20 {
        var rng = SeededRandom(seed: seed)
        let n = 1 + Int(seed % 5)
        let a = (0..<n).map { _ in (0..<n).map { _ in rng.uniform(-2...2) } }
        let context = ExprContext()
        let x = context.vector("x", count: n)
        let quadratic = try x.transposed() * Matrix(context, constants: a) * x
        let h = try evaluate(hessian(of: quadratic[0], wrt: x), at: [(x, (0..<n).map { _ in rng.uniform(-1...1) })])
        for i in 0..<n {
            for j in 0..<n {
                #expect(isClose(h[i + n * j], a[i][j] + a[j][i], tolerance: 1e-14), "seed \(seed): H[\(i)][\(j)]")
            }
        }
    }
}

@Test func hessianOfMonkeySaddle() throws {
    let context = ExprContext()
    let v = context.vector("v", count: 2)
    let (x, y) = (v[0], v[1])
    let f = pow(x, 3) - 3 * x * sq(y)
    let h = try hessian(of: f, wrt: v)
    #expect(try evaluate(h, at: [(v, [0, 0])]) == [0, 0, 0, 0])
    #expect(try evaluate(h, at: [(v, [1, 1])]) == [6, -6, -6, -6])
}

@Test func jacobianOfTanhOfLinearCombination() throws {
    for (a, b) in [(1.0, 2.0), (-0.5, 0.25), (3.0, -1.0), (0.0, 1.0)] {
        let context = ExprContext()
        let v = context.vector("v", count: 2)
        let f = tanh(a * v[0] + b * v[1])
        let point = [0.3, -0.2]
        let j = try evaluate(jacobian(of: f, wrt: v), at: [(v, point)])
        let t = Glibc.tanh(a * point[0] + b * point[1])
        #expect(isClose(j[0], (1 - t * t) * a, tolerance: 1e-15) && isClose(j[1], (1 - t * t) * b, tolerance: 1e-15), "a=\(a) b=\(b)")
    }
}

import DiffGenAD
import DiffGenCore
import DiffGenTestSupport
import ReferenceProblems
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Test func ifElseDoesNotLeakNaNFromTheBranchNotTaken() throws {
    let context = ExprContext()
    let x = context.symbol("x")
    let xs = Matrix(x)
    let f = ifElse(x > 0, sqrt(x), 0)
    // Reverse (gradient), forward (jvp) and second order all give 0 at x = −1, not NaN.
    #expect(try evaluate(gradient(of: f, wrt: xs), at: [(xs, [-1])]) == [0])
    #expect(try evaluate(jvp(of: Matrix(f), wrt: xs, along: Matrix(context.constant(1))), at: [(xs, [-1])]) == [0])
    #expect(try evaluate(hessian(of: f, wrt: xs), at: [(xs, [-1])]) == [0])
    // And the taken branch is differentiated: d sqrt(x)/dx = 1/(2 sqrt x).
    #expect(try evaluate(gradient(of: f, wrt: xs), at: [(xs, [4])]) == [0.25])
    // The same inside a bigger expression, with the branch's node used twice.
    let g = 3 * ifElse(x > 0, sqrt(x) * sqrt(x) + log(x), x) + x
    #expect(try evaluate(gradient(of: g, wrt: xs), at: [(xs, [-2])]) == [4])
}

@Test func nonSmoothConventions() throws {
    let context = ExprContext()
    let v = context.vector("v", count: 2)
    let outputs = try Matrix(column: [abs(v[0]), fmin(v[0], v[1]), fmax(v[0], v[1]), floor(v[0]), sign(v[0])])
    let j = try evaluate(jacobian(of: outputs, wrt: v), at: [(v, [0, 0])])
    // Column-major 5×2: column 0 is ∂/∂v0.
    #expect(Array(j[0..<5]) == [0, 1, 1, 0, 0])  // |x|'(0) = 0; ties go to the first operand
    #expect(Array(j[5..<10]) == [0, 0, 0, 0, 0])
    // fmin(x, NaN) = x in C, so the derivative goes to x.
    let nanCase = try evaluate(jacobian(of: Matrix(fmin(v[0], v[1])), wrt: v), at: [(v, [2, .nan])])
    #expect(nanCase[0] == 1 && nanCase[1] == 0)
}

@Test func thirdDerivativesByNesting() throws {
    let context = ExprContext()
    let x = context.symbol("x")
    let xs = Matrix(x)
    let d1 = try gradient(of: sin(x) * x, wrt: xs)
    let d2 = try jacobian(of: d1, wrt: xs)
    let d3 = try jacobian(of: d2, wrt: xs)
    let at = 0.7
    // (x sin x)''' = −3 sin x − x cos x
    let got = try evaluate(d3, at: [(xs, [at])])[0]
    #expect(isClose(got, -3 * Glibc.sin(at) - at * Glibc.cos(at), tolerance: 1e-14))
}

@Test func structuralZerosAreConstantZeros() throws {
    let context = ExprContext()
    let v = context.vector("v", count: 3)
    let f = try Matrix(column: [v[0] * v[1], sin(v[2])])
    let j = try jacobian(of: f, wrt: v)
    #expect(j[0, 2].constantValue == 0 && j[1, 0].constantValue == 0 && j[1, 1].constantValue == 0)
    #expect(j[0, 0].isIdentical(to: v[1]))
}

@Test func deepChainGradientWithoutRecursion() throws {
    let context = ExprContext()
    let f = try ReferenceProblems.deepChain(context, steps: 100_000)
    let z = try f.input(0)
    let g = try gradient(of: f.output(0), wrt: z)
    let values = try evaluate(g, at: [(z, [1.5, 0.5])])
    // PROBLEMS.md: ∂x_K/∂x0 underflows to exactly 0, ∂x_K/∂p ≈ 0.320256307610174.
    #expect(values[0] == 0)
    #expect(isClose(values[1], 0.320256307610174, tolerance: 1e-12))
}

@Test func lagrangianHessianIsTheWeightedSum() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let sigma = context.symbol("sigma"), lambda = context.vector("lambda", count: 2)
    let f = sq(x[0]) * x[1] + exp(x[2])
    let g = try Matrix(column: [sin(x[0] * x[2]), x[1] * x[1] * x[1]])
    let h = try lagrangianHessian(objective: f, constraints: g, wrt: x, objectiveWeight: sigma, multipliers: lambda)
    let point: [Double] = [0.3, -0.7, 1.1], s = 2.0, l: [Double] = [0.5, -1.5]
    let bindings = [(x, point), (Matrix(sigma), [s]), (lambda, l)]
    let got = try evaluate(h, at: bindings)
    let parts = try evaluate([try hessian(of: f, wrt: x), try hessian(of: g[0], wrt: x), try hessian(of: g[1], wrt: x)], at: [(x, point)])
    for k in 0..<9 {
        #expect(isClose(got[k], s * parts[0][k] + l[0] * parts[1][k] + l[1] * parts[2][k], tolerance: 1e-14))
    }
}

@Test func badVariablesAreThrownErrors() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = sin(x[0]) * x[1]
    #expect(throws: DifferentiationError.variableNotSymbol(index: 1)) {
        try gradient(of: f, wrt: try Matrix(column: [x[0], x[1] * 2]))
    }
    #expect(throws: DifferentiationError.repeatedVariable("x_0")) {
        try gradient(of: f, wrt: try Matrix(column: [x[0], x[0]]))
    }
    #expect(throws: DifferentiationError.wrongLength(what: "a direction", expected: 2, got: 3)) {
        try jvp(of: Matrix(f), wrt: x, along: context.vector("v", count: 3))
    }
    #expect(throws: DifferentiationError.notScalar(rows: 2, cols: 1)) { try hessian(of: x, wrt: x) }
    #expect(throws: DifferentiationError.mixedContexts) { try gradient(of: f, wrt: ExprContext().vector("y", count: 2)) }
}

@Test func derivativeCheckerAgreesOnReferenceProblems() throws {
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let report = try DerivativeCheck.jacobian(of: panda.output(0), wrt: panda.input(0), at: ReferenceProblems.defaultPoint(7))
    #expect(report.maxRelativeError < 1e-8, "\(report)")
    let cartpole = try ReferenceProblems.cartpoleStep(ExprContext())
    let step = try DerivativeCheck.jacobian(of: cartpole.output(0), wrt: cartpole.input(0), at: ReferenceProblems.defaultPoint(5))
    #expect(step.maxRelativeError < 1e-8, "\(step)")
    let mlp = try ReferenceProblems.mlp(ExprContext())
    let hess = try DerivativeCheck.hessian(of: mlp.output(0)[0], wrt: mlp.input(0), at: ReferenceProblems.defaultPoint(107))
    #expect(hess.maxRelativeError < 1e-5, "\(hess)")
}

@Test func derivativeCheckerReportsAMismatch() throws {
    // Just below floor's jump the symbolic derivative (0) and central differences (≈ 1/2h) differ:
    // the checker must say so and name the entry.
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = try Matrix(column: [x[0] * x[1], floor(x[1])])
    let report = try DerivativeCheck.jacobian(of: f, wrt: x, at: [0.5, 1 - 1e-9])
    #expect(report.maxAbsoluteError > 1e3 && report.maxRelativeError > 0.5)
    #expect(report.worst.row == 1 && report.worst.column == 1)
}

/// The benchmark problems' derivatives against CasADi's reference checksums (PROBLEMS.md).
@Test func referenceDerivativeChecksums() throws {
    func sums(_ m: Matrix, _ x: Matrix, _ point: [Double]) throws -> (Double, Double) {
        let v = try evaluate(m, at: [(x, point)])
        return (v.reduce(0, +), v.map(Swift.abs).reduce(0, +))
    }
    let p = ReferenceProblems.defaultPoint
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let (s1, a1) = try sums(jacobian(of: panda.output(0), wrt: panda.input(0)), panda.input(0), p(7, 0))
    #expect(isClose(s1, 3.79846112863819, tolerance: 1e-12) && isClose(a1, 27.3172032896612, tolerance: 1e-12))
    let cart = try ReferenceProblems.cartpoleStep(ExprContext())
    let (s2, a2) = try sums(jacobian(of: cart.output(0), wrt: cart.input(0)), cart.input(0), p(5, 0))
    #expect(isClose(s2, 4.70699086804278, tolerance: 1e-12) && isClose(a2, 4.84926901014763, tolerance: 1e-12))
    let mlp = try ReferenceProblems.mlp(ExprContext())
    let (s3, a3) = try sums(hessian(of: mlp.output(0)[0], wrt: mlp.input(0)), mlp.input(0), p(107, 0))
    #expect(isClose(s3, 61.2318147155315, tolerance: 1e-11) && isClose(a3, 216.85745267269, tolerance: 1e-11))
    let (s4, a4) = try sums(gradient(of: mlp.output(0)[0], wrt: mlp.input(0)), mlp.input(0), p(107, 0))
    #expect(isClose(s4, 4.3499061102653, tolerance: 1e-12) && isClose(a4, 15.4684204414352, tolerance: 1e-12))
    let rosen = try ReferenceProblems.rosenbrock(ExprContext(), n: 1000)
    let (s5, a5) = try sums(hessian(of: rosen.output(0)[0], wrt: rosen.input(0)), rosen.input(0), p(1000, 0))
    #expect(isClose(s5, 242967.891115715, tolerance: 1e-12) && isClose(a5, 583222.533217196, tolerance: 1e-12))
    let nbody = try ReferenceProblems.nbodyEnergy(ExprContext())
    let (_, a6) = try sums(hessian(of: nbody.output(0)[0], wrt: nbody.input(0)), nbody.input(0), p(90, 0))
    #expect(isClose(a6, 3049810.86468476, tolerance: 1e-11))
}

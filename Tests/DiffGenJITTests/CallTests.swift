import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// Products of a calling function and of the same function inlined, at one point: patterns must
/// be equal and values equal to rounding, on both JIT tiers.
private func expectSameProducts(_ calls: [CallingFunction], _ flat: [(name: String, pattern: Pattern, function: Function)],
                                at point: [[Double]], _ label: String) throws {
    for (calling, reference) in zip(calls, flat) {
        #expect(calling.outputs[0].pattern == reference.pattern, "\(label) \(reference.name): patterns differ")
        let want = try reference.function.compiled()(point)[0]
        let native = try calling.compiled(optimizeWith: SystemCompiler())
        for tier in ["tcc", "optimized"] {
            if tier == "optimized" { #expect(native.waitForOptimization(seconds: 120) == .optimized) }
            let got = try native(point)[0]
            #expect(got.count == want.count)
            for e in got.indices where !isClose(got[e], want[e], tolerance: 1e-12) {
                Issue.record("\(label) \(reference.name) \(tier), nonzero \(e): calls \(got[e]), inlined \(want[e])")
            }
        }
    }
}

/// The cart-pole shooting gaps and Lagrangian with the RK4 step called once per interval: value,
/// constraint Jacobian and Lagrangian Hessian equal the inlined graph's, pattern for pattern,
/// and the step's code (and its derivatives') is in the C once however many intervals.
@Test func shootingCallsMatchTheInlinedGraph() throws {
    for n in [3, 20] {
        let (gaps, lagrangian) = try ReferenceProblems.cartpoleShootingCalls(intervals: n)
        #expect(gaps.calls.count == n && gaps.levels.count == 1)
        let flatGaps = try gaps.inlined(), flatLagrangian = try lagrangian.inlined()
        let w = try flatGaps.input(0), g = try flatGaps.output(0)
        let flatJacobian = try sparseJacobian(of: g, wrt: w)
        let flatHessian = try sparseHessian(of: try flatLagrangian.output(0)[0], wrt: try flatLagrangian.input(0))
        func function(_ name: String, _ inputs: [(String, Matrix)], _ output: any FunctionOutput) throws -> Function {
            try Function(name, inputs: inputs, outputs: [("out", output)])
        }
        let lagrangianInputs = [("w", try flatLagrangian.input(0)), ("lambda", try flatLagrangian.input(1))]
        var rng = SeededRandom(seed: 11 + UInt64(n))
        let point = (0..<(5 * n + 4)).map { _ in rng.uniform(-1...1) }, lambda = (0..<(4 * n)).map { _ in rng.uniform(-2...2) }
        try expectSameProducts([gaps, try gaps.jacobian(of: 0, wrt: 0, name: "gaps_jac_\(n)")], [
            ("value", .dense(rows: 4 * n, cols: 1), flatGaps),
            ("jacobian", flatJacobian.pattern, try function("flat_jac_\(n)", [("w", w)], flatJacobian)),
        ], at: [point], "N = \(n)")
        try expectSameProducts([try lagrangian.hessian(of: 0, wrt: 0, name: "lag_hess_\(n)")], [
            ("hessian", flatHessian.pattern, try function("flat_hess_\(n)", lagrangianInputs, flatHessian)),
        ], at: [point, lambda], "N = \(n)")
    }
    // One definition of the step and of its Jacobian whatever N; the driver adds one line per call.
    let sources = try [20, 200].map { n in
        try ReferenceProblems.cartpoleShootingCalls(intervals: n).gaps.jacobian(of: 0, wrt: 0, name: "j").generate(baseName: "j").source!
    }
    for source in sources {
        #expect(source.components(separatedBy: "void cartpole_step_eval(").count - 1 <= 1)
        #expect(source.components(separatedBy: "jac_cartpole_step_eval(const").count - 1 == 1)
    }
    let perCall = Double(sources[1].utf8.count - sources[0].utf8.count) / 180
    #expect(perCall < 2000, "\(perCall) bytes of C per call")
}

/// A rollout where each call's argument is the previous call's result (one level per step):
/// the final state's Jacobian and the cost's Hessian equal the inlined graph's and central
/// differences of the compiled value.
@Test func chainedCallsMatchTheInlinedGraphAndDifferences() throws {
    let steps = 6
    let step = try ReferenceProblems.cartpoleStep(ExprContext())
    let context = ExprContext()
    let x0 = context.vector("x0", count: 4), u = context.vector("u", count: steps)
    let calls = CallRecorder(context)
    var x = x0
    var cost = context.constant(0)
    for k in 0..<steps {
        x = try calls.call(step, [try Matrix(column: (0..<4).map { x[$0] } + [u[k]])])[0]
        cost = cost + (0..<4).reduce(0.1 * sq(u[k])) { $0 + sq(x[$1]) }
    }
    let rollout = try CallingFunction("rollout_calls", inputs: [("x0", x0), ("u", u)], outputs: [("xN", x), ("cost", Matrix(cost))], calls: calls)
    #expect(rollout.levels.count == steps)
    let flat = try rollout.inlined()
    let jacobianU = try sparseJacobian(of: try flat.output(0), wrt: try flat.input(1))
    let jacobianX = try sparseJacobian(of: try flat.output(0), wrt: try flat.input(0))
    let hessian = try sparseHessian(of: try flat.output(1)[0], wrt: try flat.input(1))
    let inputs = [("x0", try flat.input(0)), ("u", try flat.input(1))]
    var rng = SeededRandom(seed: 3)
    let point = [(0..<4).map { _ in rng.uniform(-0.5...0.5) }, (0..<steps).map { _ in rng.uniform(-2...2) }]
    let products = [try rollout.jacobian(of: 0, wrt: 1, name: "roll_ju"), try rollout.jacobian(of: 0, wrt: 0, name: "roll_jx"),
                    try rollout.hessian(of: 1, wrt: 1, name: "roll_h")]
    try expectSameProducts(products, [
        ("jacobian u", jacobianU.pattern, try Function("flat_ju", inputs: inputs, outputs: [("j", jacobianU)])),
        ("jacobian x0", jacobianX.pattern, try Function("flat_jx", inputs: inputs, outputs: [("j", jacobianX)])),
        ("hessian", hessian.pattern, try Function("flat_h", inputs: inputs, outputs: [("h", hessian)])),
    ], at: point, "rollout")
    // Against central differences of the calling function's own value.
    let value = try rollout.compiled()
    let jacobian = try products[0].compiled()(point)[0]
    let dense = products[0].outputs[0].pattern.entries
    let h = 1e-6
    for (k, entry) in dense.enumerated() {
        var plus = point, minus = point
        plus[1][entry.col] += h
        minus[1][entry.col] -= h
        let difference = (try value(plus)[0][entry.row] - value(minus)[0][entry.row]) / (2 * h)
        #expect(isClose(jacobian[k], difference, tolerance: 1e-7), "∂xN[\(entry.row)]/∂u[\(entry.col)]: \(jacobian[k]) vs \(difference)")
    }
}

/// Small callees are inlined unless asked otherwise; wrong calls are clear errors.
@Test func callsInlineSmallBodiesAndRejectBadArguments() throws {
    let inner = ExprContext()
    let a = inner.vector("a", count: 2)
    let small = try Function("small", inputs: [("a", a)], outputs: [("s", Matrix(a[0] * a[1]))])
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let calls = CallRecorder(context)
    let inlined = try calls.call(small, [x])[0]
    #expect(calls.calls.isEmpty)
    #expect(inlined[0].isIdentical(to: x[0] * x[1]))
    #expect(throws: CallError.noCalls(function: "f")) {
        try CallingFunction("f", inputs: [("x", x)], outputs: [("y", inlined)], calls: calls)
    }
    let kept = try calls.call(small, [x], inline: false)[0]
    #expect(calls.calls.count == 1)
    // The same call twice is one call.
    _ = try calls.call(small, [x], inline: false)
    #expect(calls.calls.count == 1)
    let f = try CallingFunction("f", inputs: [("x", x)], outputs: [("y", kept)], calls: calls)
    #expect(try f.compiled()([[3, 4]])[0] == [12])
    #expect(throws: CallError.argumentCount(callee: "small", expected: 1, got: 2)) { try calls.call(small, [x, x]) }
    #expect(throws: CallError.argumentShape(callee: "small", input: "a", expected: (2, 1), got: (1, 2))) {
        try calls.call(small, [Matrix(nodes: x.ids, rows: 1, cols: 2, in: context)])
    }
    #expect(throws: CallError.mixedContexts(callee: "small")) { try calls.call(small, [a]) }
    let other = try Function("small", inputs: [("a", a)], outputs: [("s", Matrix(a[0] + a[1]))])
    #expect(throws: CallError.nameClash("small")) { try calls.call(other, [x], inline: false) }
    // A free symbol in the caller is named.
    let stray = context.symbol("stray")
    #expect(throws: FunctionError.self) {
        try CallingFunction("g", inputs: [("x", x)], outputs: [("y", Matrix(kept[0] * stray))], calls: calls)
    }
}

/// The same calling function built twice gives the same C, byte for byte.
@Test func callingFunctionsGenerateDeterministically() throws {
    let sources = try (0..<2).map { _ in
        try ReferenceProblems.cartpoleShootingCalls(intervals: 5).lagrangian.hessian(of: 0, wrt: 0, name: "h").generate(baseName: "h").source!
    }
    #expect(sources[0] == sources[1])
}

/// A chain of 100 calls, each argument the previous result (100 levels, and 100 more for the
/// reverse sweep's `vjp` calls): value, gradient and Hessian against plain Swift, central and
/// second differences of it.
@Test func longChainsOfCallsMatchPlainSwiftAndDifferences() throws {
    let steps = 100
    let inner = ExprContext()
    let (s, q) = (inner.vector("s", count: 1), inner.vector("q", count: 1))
    let step = try Function("chain_step", inputs: [("s", s), ("q", q)], outputs: [("next", Matrix(sin(s[0]) * s[0] + (0.1 * s[0]) * q[0]))])
    let context = ExprContext()
    let z = context.vector("z", count: 2)
    let calls = CallRecorder(context)
    var x = Matrix(z[0])
    for _ in 0..<steps { x = try calls.call(step, [x, Matrix(z[1])], inline: false)[0] }
    let chain = try CallingFunction("chain_calls", inputs: [("z", z)], outputs: [("x", x)], calls: calls)
    #expect(chain.levels.count == steps)
    func plain(_ z: [Double]) -> Double {
        var v = z[0]
        for _ in 0..<steps { v = sin(v) * v + (0.1 * v) * z[1] }
        return v
    }
    let point = [0.8, 0.4]
    #expect(isClose(try chain.compiled()([point])[0][0], plain(point), tolerance: 1e-13))
    let gradient = try chain.jacobian(of: 0, wrt: 0, name: "chain_grad").compiled()([point])[0]
    let hessian = try chain.hessian(of: 0, wrt: 0, name: "chain_hess").compiled()([point])[0]
    let h = 1e-5
    func shifted(_ i: Int, _ a: Double, _ j: Int, _ b: Double) -> Double {
        var p = point
        p[i] += a
        p[j] += b
        return plain(p)
    }
    for i in 0..<2 {
        let difference = (shifted(i, h, i, 0) - shifted(i, -h, i, 0)) / (2 * h)
        #expect(isClose(gradient[i], difference, tolerance: 1e-7), "∂x/∂z[\(i)]: \(gradient[i]) vs \(difference)")
        for j in 0..<2 {
            let second = (shifted(i, h, j, h) - shifted(i, h, j, -h) - shifted(i, -h, j, h) + shifted(i, -h, j, -h)) / (4 * h * h)
            #expect(isClose(hessian[i + 2 * j], second, tolerance: 1e-4), "∂²x/∂z[\(i)]∂z[\(j)]: \(hessian[i + 2 * j]) vs \(second)")
        }
    }
    #expect(hessian[1] == hessian[2], "the Hessian is mirrored, so exactly symmetric")
}

/// Maps, folds and calls generated for float (`CodegenOptions.real = .float`, ports double behind
/// CasADi's interface) agree with the double code to float precision, and really compute in float.
@Test func loopsInFloatAgreeWithDoubleToFloatPrecision() throws {
    var float = CodegenOptions()
    float.real = .float
    let (gaps, lagrangian) = try ReferenceProblems.cartpoleShootingCalls(intervals: 3)
    let w = (0..<19).map { 0.1 * Double($0) - 0.5 }, lambda = (0..<12).map { 0.2 * Double($0) - 1 }
    let x0 = [0.1, 0.2, 0.3, 0.4], u = [0.1, 0.2, 0.3, 0.4, 0.5]
    let cases: [(String, any LoopedFunction, [[Double]])] = [
        ("calls Jacobian", try gaps.jacobian(of: 0, wrt: 0, name: "float_calls_jac"), [w]),
        ("calls Hessian", try lagrangian.hessian(of: 0, wrt: 0, name: "float_calls_hess"), [w, lambda]),
        ("map Hessian", try MapProduct.hessian(of: try ReferenceProblems.rosenbrockMap(n: 10), output: 0, wrt: 0, name: "float_map_hess"),
         [ReferenceProblems.defaultPoint(10)]),
        ("fold Jacobian", try FoldJacobian(of: try ReferenceProblems.cartpoleRolloutFold(horizon: 5), wrt: 1, name: "float_fold_jac"), [x0, u]),
    ]
    for (label, loop, inputs) in cases {
        let (double, single) = (try loop.compiled()(inputs)[0], try loop.compiled(options: float)(inputs)[0])
        let worst = zip(double, single).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
        #expect(worst < 1e-5 && worst > 0, "\(label): float differs from double by \(worst)")
    }
}

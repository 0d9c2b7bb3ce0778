import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// Each loop of `model` compiled, by name.
private func compiledLoops(_ model: Model) throws -> [String: NativeFunction] {
    Dictionary(uniqueKeysWithValues: try model.loops.map { ($0.name, try $0.compiled()) })
}

/// Loop `name` of `loops` at `inputs`: its first output (a missing loop is an error).
private func run(_ loops: [String: NativeFunction], _ name: String, _ inputs: [[Double]]) throws -> [Double] {
    guard let native = loops[name] else { throw MapError.invalidOutput(map: name, output: 0) }
    return try native(inputs)[0]
}

private func expectClose(_ a: [Double], _ b: [Double], _ what: String) {
    #expect(a.count == b.count, "\(what): \(a.count) against \(b.count) values")
    let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= 1e-12, "\(what): differs by \(worst)")
}

/// The model files' maps and folds equal the flat reference problems: value, gradient,
/// Jacobian and Hessian, nonzero for nonzero.
@Test func loopModelsEqualTheFlatProblems() throws {
    let n = 30
    let rosenbrock = try compiledLoops(try Model(contentsOf: "\(modelsDirectory)/rosenbrock_map.dg", overrides: ["n": Double(n)]))
    let context = ExprContext()
    let flat = try ReferenceProblems.rosenbrock(context, n: n)
    let x = try flat.input(0), f = try flat.output(0)[0]
    let reference = try Function("ros_ref", inputs: [("x", x)], outputs: [
        ("f", Matrix(f)), ("g", try gradient(of: f, wrt: x)), ("h", try sparseHessian(of: f, wrt: x)),
    ]).compiled()
    let point = ReferenceProblems.defaultPoint(n)
    let want = try reference([point])
    for (name, k) in [("rosenbrock", 0), ("rosenbrock_grad", 1), ("rosenbrock_hess", 2)] {
        expectClose(try run(rosenbrock, name, [point]), want[k], name)
    }

    let steps = 300
    let chain = try compiledLoops(try Model(contentsOf: "\(modelsDirectory)/deep_chain_fold.dg", overrides: ["K": Double(steps)]))
    let chainFlat = try ReferenceProblems.deepChain(context, steps: steps)
    let z = try chainFlat.input(0)
    let chainReference = try Function("chain_ref", inputs: [("z", z)], outputs: [
        ("f", try chainFlat.output(0)), ("g", try gradient(of: try chainFlat.output(0)[0], wrt: z)),
    ]).compiled()
    let zPoint = ReferenceProblems.defaultPoint(2)
    let chainWant = try chainReference([zPoint])
    expectClose(try run(chain, "deep_chain", [zPoint]), chainWant[0], "deep_chain")
    expectClose(try run(chain, "deep_chain_grad", [zPoint]), chainWant[1], "deep_chain_grad")

    let horizon = 5
    let shooting = try compiledLoops(try Model(contentsOf: "\(modelsDirectory)/cartpole_ms_map.dg", overrides: ["N": Double(horizon)]))
    let ms = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: horizon)
    let weighted = (1..<ms.constraints.count).reduce(ms.lambda[0] * ms.constraints[0]) { $0 + ms.lambda[$1] * ms.constraints[$1] }
    let msReference = try Function("ms_ref", inputs: [("w", ms.w), ("lambda", ms.lambda)], outputs: [
        ("g", ms.constraints), ("j", try sparseJacobian(of: ms.constraints, wrt: ms.w)), ("h", try sparseHessian(of: weighted, wrt: ms.w)),
    ]).compiled()
    let w = ReferenceProblems.defaultPoint(5 * horizon + 4), lambda = ReferenceProblems.defaultPoint(4 * horizon, offset: 7)
    let msWant = try msReference([w, lambda])
    expectClose(try run(shooting, "gaps", [w]), msWant[0], "gaps")
    expectClose(try run(shooting, "gaps_jac", [w]), msWant[1], "gaps_jac")
    expectClose(try run(shooting, "gaps_hess", [w, lambda]), msWant[2], "gaps_hess")
}

/// Mistakes in loop statements are located errors, never crashes.
@Test func loopMistakesAreLocatedErrors() throws {
    let cases: [(String, String)] = [
        ("input x[4]\ndef t(a) = a\nloop f(x) = map(t(x[k * k]) for k in 0:3)\n", "does not move by a fixed step"),
        ("input x[4]\nloop f(x) = map(nope(x[k]) for k in 0:3)\n", "one call of a def over a range"),
        ("input x[4]\ndef t(a) = a\nloop f(x) = map(t(x[k]) for k in 0:5)\n", "reads entry 4 in its last instance"),
        ("input x[4]\ndef t(a, b) = b\nloop f(x) = fold(t(x[0], x[k:k + 2]) for k in 0:2)\n", "a fold's step returns its state"),
        ("input x[4]\ninput y[2]\ndef t(a) = a\nloop f(x) = map(t(y[k]) for k in 0:2)\n", "one of the loop's inputs"),
        ("input x[4]\nloop H = hessian(g, x)\n", "'g' is not a map, fold or calls loop defined above"),
        ("input x[4]\ndef t(a) = a\nloop f = map(t(x[k]) for k in 0:3)\n", "name the loop's inputs"),
        ("input x[4]\ndef t(a) = [a; a]\nloop f(x) = map(t(x[k]) for k in 0:3)\nloop H = hessian(f, x)\n", "a Hessian needs a scalar body output summed"),
        ("input x[2]\nloop f(x) = calls(call(nope, x))\n", "call takes a def's name"),
        ("input x[2]\ndef t(a, b) = a * b\nloop f(x) = calls(call(t, x))\n", "'t' takes 2 arguments, got 1"),
        ("input x[2]\ndef t(a) = sin(a)\nloop f(x) = calls(call(t, x) + call(t, x[0]))\n", "keeps the argument shapes of its first call"),
        ("input x[2]\ndef t(a) = sin(a)\nloop f = calls(call(t, x))\n", "name the function's inputs"),
        ("input x[2]\ninput y[1]\ndef t(a) = sin(a)\nloop f(x) = calls(call(t, x) * y)\n", "depends on symbol"),
    ]
    for (text, expected) in cases {
        do {
            let model = try Model(text: text, file: "m.dg")
            Issue.record("no error for \(text) (\(model.loops.count) loops)")
        } catch let diagnostic as Diagnostic {
            let message = "\(diagnostic)"
            #expect(message.contains(expected) && message.hasPrefix("m.dg:"), "\(text): \(message)")
        }
    }
}

/// `mapaccum` in a model: every state of the deep chain and their Jacobian, against the states
/// computed in plain Swift and central differences of them.
@Test func mapaccumModelGivesEveryState() throws {
    let text = "input z[2]\ndef step(x, p) = sin(x) * x + (0.1 * x) * p\nloop states(z) = mapaccum(step(z[0], z[1]) for k in 0:6)\nloop states_jac = jacobian(states, z)\n"
    let loops = try compiledLoops(try Model(text: text, file: "m.dg"))
    func plain(_ z: [Double]) -> [Double] {
        var (x, out) = (z[0], [Double]())
        for _ in 0..<6 { x = sin(x) * x + (0.1 * x) * z[1]; out.append(x) }
        return out
    }
    let z = [0.8, 0.4]
    expectClose(try run(loops, "states", [z]), plain(z), "states")
    let jacobian = try run(loops, "states_jac", [z])
    let h = 1e-6
    for j in 0..<2 {
        var (up, down) = (z, z)
        up[j] += h
        down[j] -= h
        let column = zip(plain(up), plain(down)).map { ($0 - $1) / (2 * h) }
        for i in 0..<6 { #expect(abs(jacobian[j * 6 + i] - column[i]) < 1e-7, "d state \(i) / d z[\(j)]: \(jacobian[j * 6 + i]) vs \(column[i])") }
    }
}

/// `calls(…)` in a model: the cart-pole gaps with the RK4 step called equal the flat problem's
/// gaps, constraint Jacobian and Lagrangian Hessian, nonzero for nonzero.
@Test func callsModelEqualsTheFlatProblem() throws {
    let horizon = 4
    let model = try Model(contentsOf: "\(modelsDirectory)/cartpole_ms_calls.dg", overrides: ["N": Double(horizon)])
    #expect(model.loops.compactMap { $0 as? CallingFunction }.allSatisfy { $0.calls.map(\.callee.name).allSatisfy { $0.hasSuffix("rk4") } })
    let loops = try compiledLoops(model)
    let context = ExprContext()
    let ms = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: horizon)
    let lagrangian = (0..<ms.constraints.count).reduce(ms.objective) { $0 + ms.lambda[$1] * ms.constraints[$1] }
    let reference = try Function("ms_ref", inputs: [("w", ms.w), ("lambda", ms.lambda)], outputs: [
        ("g", ms.constraints), ("j", try sparseJacobian(of: ms.constraints, wrt: ms.w)), ("h", try sparseHessian(of: lagrangian, wrt: ms.w)),
        ("l", Matrix(lagrangian)),
    ]).compiled()
    var rng = SeededRandom(seed: 21)
    let w = (0..<(5 * horizon + 4)).map { _ in rng.uniform(-1...1) }, lambda = (0..<(4 * horizon)).map { _ in rng.uniform(-2...2) }
    let want = try reference([w, lambda])
    expectClose(try run(loops, "gaps", [w]), want[0], "gaps")
    expectClose(try run(loops, "gaps_jac", [w]), want[1], "gaps_jac")
    expectClose(try run(loops, "lagrangian", [w, lambda]), want[3], "lagrangian")
    expectClose(try run(loops, "lagrangian_hess", [w, lambda]), want[2], "lagrangian_hess")
    // A call inside a called def is inlined into the callee.
    let nested = try Model(text: "input x[2]\ndef g(a) = sin(a)\ndef f(a) = call(g, a) .* a\nloop h(x) = calls(call(f, x) + call(g, x))\n", file: "m.dg")
    let h = try #require(nested.loops.first as? CallingFunction)
    #expect(h.calls.map(\.callee.name) == ["f", "g"])
    expectClose(try h.compiled()([[0.3, -1.2]])[0], [sin(0.3) * 0.3 + sin(0.3), sin(-1.2) * -1.2 + sin(-1.2)], "nested calls")
}

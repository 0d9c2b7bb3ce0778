import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

let modelsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/models").path

/// Every output of `function` at `point`, dense and column-major (structural zeros as 0).
func denseOutputs(_ function: Function, at point: [[Double]]) throws -> [[Double]] {
    zip(function.outputs, try Interpreter(function).evaluate(point)).map { $0.dense($1) }
}

/// The model file's function `name` and the Swift twin give the same values at the default point
/// and two perturbed points, output by output (relative 1e-12: sums may associate differently).
func expectTwins(_ model: Model, _ name: String, _ twin: Function, _ points: [[[Double]]]) throws {
    let function = try #require(model.functions.first { $0.name == name }, "no function \(name) in the model")
    #expect(function.inputs.map(\.count) == twin.inputs.map(\.count), "\(name): input sizes")
    #expect(function.outputs.map { [$0.rows, $0.cols] } == twin.outputs.map { [$0.rows, $0.cols] }, "\(name): output shapes")
    for point in points {
        let ours = try denseOutputs(function, at: point), theirs = try denseOutputs(twin, at: point)
        for (k, (a, b)) in zip(ours, theirs).enumerated() {
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(worst <= 1e-12, "\(name) output \(k): differs from the Swift twin by \(worst)")
        }
    }
}

private func points(_ sizes: [Int]) -> [[[Double]]] {
    var offset = 0
    let base = sizes.map { size in defer { offset += size }; return ReferenceProblems.defaultPoint(size, offset: offset) }
    return [base, base.map { $0.map { $0 * 0.9 - 0.05 } }, base.map { $0.map { -$0 + 0.3 } }]
}

@Test func pandaModelEqualsItsTwin() throws {
    let model = try Model(contentsOf: "\(modelsDirectory)/panda_fk.dg")
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let q = try panda.input(0)
    try expectTwins(model, "panda_fk", panda, points([7]))
    let jac = try Function("jac", inputs: [("q", q)], outputs: [("jac", try sparseJacobian(of: panda.output(0), wrt: q))])
    try expectTwins(model, "panda_jac", jac, points([7]))
}

@Test func cartpoleStepModelEqualsItsTwin() throws {
    let model = try Model(contentsOf: "\(modelsDirectory)/cartpole_step.dg")
    let twin = try ReferenceProblems.cartpoleStep(ExprContext())
    let xu = try twin.input(0)
    try expectTwins(model, "cartpole_step", twin, points([5]))
    let jac = try Function("jac", inputs: [("xu", xu)], outputs: [("jac", try sparseJacobian(of: twin.output(0), wrt: xu))])
    try expectTwins(model, "cartpole_jac", jac, points([5]))
}

@Test func multipleShootingModelEqualsItsTwin() throws {
    let model = try Model(contentsOf: "\(modelsDirectory)/cartpole_ms.dg")
    let ms = try ReferenceProblems.cartpoleMultipleShooting(ExprContext())
    try expectTwins(model, "constraints", try Function("g", inputs: [("w", ms.w)], outputs: [
        ("g", ms.constraints), ("jac_g", try sparseJacobian(of: ms.constraints, wrt: ms.w)),
    ]), points([104]))
    try expectTwins(model, "objective", try Function("J", inputs: [("w", ms.w)], outputs: [
        ("J", Matrix(ms.objective)), ("grad_J", try gradient(of: ms.objective, wrt: ms.w)),
    ]), points([104]))
    try expectTwins(model, "lagrangian_hessian", try Function("L", inputs: [("w", ms.w), ("lambda", ms.lambda), ("sigma", Matrix(ms.sigma))], outputs: [
        ("hess_L", try sparseLagrangianHessian(objective: ms.objective, constraints: ms.constraints, wrt: ms.w, objectiveWeight: ms.sigma, multipliers: ms.lambda)),
    ]), points([104, 80, 1]))
}

/// The scalar problems: f, its gradient and its Hessian against the twin's.
@Test(arguments: ["mlp_hessian", "rosenbrock_ext", "nbody_energy"])
func scalarModelEqualsItsTwin(_ file: String) throws {
    let model = try Model(contentsOf: "\(modelsDirectory)/\(file).dg")
    let context = ExprContext()
    let twin: Function
    switch file {
    case "mlp_hessian": twin = try ReferenceProblems.mlp(context)
    case "rosenbrock_ext": twin = try ReferenceProblems.rosenbrock(context, n: 1000)
    default: twin = try ReferenceProblems.nbodyEnergy(context)
    }
    let x = try twin.input(0), f = try twin.output(0)[0]
    let names = model.functions.map(\.name)
    try expectTwins(model, names[0], twin, points([x.count]))
    try expectTwins(model, names[1], try Function("g", inputs: [("x", x)], outputs: [("g", try gradient(of: f, wrt: x))]), points([x.count]))
    try expectTwins(model, names[2], try Function("h", inputs: [("x", x)], outputs: [("h", try sparseHessian(of: f, wrt: x))]), points([x.count]))
}

@Test func deepChainModelEqualsItsTwin() throws {
    let model = try Model(contentsOf: "\(modelsDirectory)/deep_chain.dg", overrides: ["K": 2000])
    let twin = try ReferenceProblems.deepChain(ExprContext(), steps: 2000)
    let z = try twin.input(0)
    try expectTwins(model, "deep_chain", twin, [[[1.5, 0.5]], [[1.2, 0.3]]])
    try expectTwins(model, "deep_chain_grad", try Function("g", inputs: [("z", z)], outputs: [("g", try gradient(of: twin.output(0)[0], wrt: z))]), [[[1.5, 0.5]], [[1.2, 0.3]]])
}

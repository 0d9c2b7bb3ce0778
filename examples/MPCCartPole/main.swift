// The mpc-cartpole example: the cart-pole plant model written once (examples/models/cartpole.dg),
// C for its RK4 step, A = ∂x⁺/∂x, B = ∂x⁺/∂u and the multiple-shooting constraint Jacobian and
// Lagrangian Hessian written to generated/mpc-cartpole/, and a closed loop that balances the pole
// from a 0.4 rad start under |F| ≤ 5 with real-time box-constrained iLQR on the JIT-compiled
// derivatives (LAPACK for the linear algebra) — run again on CasADi's derivatives to compare.
import CartPoleMPC
import DiffGen
import Foundation

let root = FileManager.default.fileExists(atPath: "examples/models/cartpole.dg") ? "."
    : URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let output = "generated/mpc-cartpole"
print("DiffGen mpc-cartpole — real-time iLQR, N = 20, dt = 0.05 s, |F| ≤ 5, from θ = 0.4 rad")

// 1. The model, once; C for the controller's functions and for a multiple-shooting solver.
let model = try Model(contentsOf: "\(root)/examples/models/cartpole.dg")
let shooting = try Model(contentsOf: "\(root)/examples/models/cartpole_ms.dg")
guard let step = model.functions.first(where: { $0.name == "step" }), let linearization = model.functions.first(where: { $0.name == "linearization" }) else {
    throw MPCError("cartpole.dg must define step and linearization")
}
var options = CodegenOptions()
options.withBuildFiles = true
try CGenerator.generate([step, linearization] + shooting.functions, baseName: "cartpole_mpc", options: options).write(to: output)
print("  wrote \(output)/cartpole_mpc.{c,h}: step, linearization (A sparse, B), constraints (g, jac_g), objective, lagrangian_hessian; Makefile, CMakeLists.txt")

// 2. The controller's model calls, JIT-compiled: one stage call gives x⁺, A (dense) and B.
let stage = try Function("stage", inputs: [("x", try step.input(0)), ("u", try step.input(1))],
                         outputs: [("next", try step.output(0)), ("A", try linearization.output(0)), ("B", try linearization.output(1))])
print("  stage function (x⁺, A, B): \(stage.operationCount) operations; step: \(step.operationCount)")
let plantModel = try Model(contentsOf: "\(root)/examples/models/cartpole.dg", overrides: ["dt": 0.005])
let plant = Workspace(try plantModel.functions.first { $0.name == "step" }!.compiled())
let tcc = (Workspace(try stage.compiled()), Workspace(try step.compiled()))
let optimizedStage = try stage.compiled(optimizeWith: SystemCompiler()), optimizedStep = try step.compiled(optimizeWith: SystemCompiler())
let optimizedReady = optimizedStage.waitForOptimization(seconds: 600) == .optimized && optimizedStep.waitForOptimization(seconds: 600) == .optimized
let optimized = (Workspace(optimizedStage), Workspace(optimizedStep))

// 3. The same model from CasADi's own code generator, built with gcc -O2, for the comparison.
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-cartpole-\(getpid())").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
func run(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw MPCError("\(arguments.joined(separator: " ")) failed") }
}
try run(["python3", "\(root)/examples/MPCCartPole/casadi_twin.py", "\(scratch)/twin.c"])
try run(["gcc", "-O2", "-fPIC", "-shared", "-o", "\(scratch)/libtwin.so", "\(scratch)/twin.c", "-lm"])
let casadiLibrary = try CasADiLibrary(path: "\(scratch)/libtwin.so")
let casadi = (try CasADiLibrary.Function(casadiLibrary, name: "casadi_stage"), try CasADiLibrary.Function(casadiLibrary, name: "casadi_step"))

// 4. Closed loops, 200 steps (10 s), five rounds interleaved for the rates.
let steps = 200
var loops: [String: [ClosedLoop]] = [:]
let runs: [(String, Evaluator, Evaluator)] = [("DiffGen, tcc tier", tcc.0, tcc.1)] + (optimizedReady ? [("DiffGen, optimized tier", optimized.0, optimized.1)] : [])
    + [("CasADi's C, gcc -O2", casadi.0, casadi.1)]
for _ in 0..<5 {
    for (label, stageEvaluator, stepEvaluator) in runs {
        loops[label, default: []].append(ClosedLoop(steps: steps, stage: stageEvaluator, step: stepEvaluator, plant: plant))
    }
}
print("  control-loop rate (linearization along the horizon, Riccati recursion, rollout; median of 5 × \(steps) steps):")
for (label, _, _) in runs {
    let rates = loops[label]!.map(\.rate).sorted()
    print(String(format: "    %@: %.1f kHz (%.1f µs per step)", label as NSString, rates[2] / 1e3, 1e6 / rates[2]))
}
let ours = loops["DiffGen, tcc tier"]![0], theirs = loops["CasADi's C, gcc -O2"]![0]
let gap = zip(ours.states, theirs.states).flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
print(String(format: "  closed-loop cost %.6f, input bound violation %.1e, final state [%.2e, %.2e, %.2e, %.2e]", ours.cost, ours.boundViolation,
             ours.states.last![0], ours.states.last![1], ours.states.last![2], ours.states.last![3]))
print(String(format: "  inputs at the bound: %d of %d steps; largest |θ| after 5 s: %.2e rad", ours.inputs.filter { abs($0) >= ClosedLoop.bounds.upperBound - 1e-12 }.count, steps,
             ours.states[100...].map { abs($0[1]) }.max()!))
print(String(format: "  same controller on CasADi's derivatives: largest state difference along the loop %.1e", gap))

// 5. The picture.
try LoopFigure.svg(ours, twin: theirs, dt: 0.05).write(toFile: "\(output)/closed_loop.svg", atomically: true, encoding: .utf8)
print("  wrote \(output)/closed_loop.svg")
print("mpc-cartpole OK")

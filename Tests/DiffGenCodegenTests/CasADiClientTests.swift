import DiffGenAD
import DiffGenCodegen
import DiffGenCore
import DiffGenRepeat
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

private let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let twinDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Benchmarks/casadi").path

/// CasADi — the real outside client — loads our generated shared library with casadi.external,
/// and our f and Jacobian match CasADi's own evaluation of the same math.
@Test func casadiExternalLoadsGeneratedCode() throws {
    let directory = try CToolchain.temporaryDirectory("casadi")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var functions: [Function] = []
    for (name, build) in [("panda_fk", ReferenceProblems.pandaFK), ("cartpole_step", ReferenceProblems.cartpoleStep)] as [(String, (ExprContext) throws -> Function)] {
        let base = try build(ExprContext())
        let x = try base.input(0)
        functions.append(try Function("\(name)_f", inputs: [("x", x)], outputs: [("f", base.output(0))]))
        functions.append(try Function("\(name)_jac", inputs: [("x", x)], outputs: [("jac", try jacobian(of: base.output(0), wrt: x))]))
    }
    let code = try CGenerator.generate(functions, baseName: "models")
    try code.write(to: directory)
    let library = "\(directory)/libmodels.so"
    let build = try CToolchain.run(["gcc", "-O2", "-fPIC", "-shared"] + CToolchain.strictFlags + ["-o", library, "\(directory)/models.c", "-lm"])
    try #require(build.succeeded, "gcc: \(build.errors)")
    let run = try CToolchain.run(["python3", testsDirectory.appendingPathComponent("Clients/casadi_external.py").path, library, twinDirectory])
    try #require(run.succeeded, "python3 with casadi failed (make test installs casadi): \(run.errors)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Any]])
    for name in ["panda_fk", "cartpole_step"] {
        let entry = try #require(report[name])
        let worst = try #require(entry["max_rel_diff"] as? Double)
        #expect(worst < 1e-13, "\(name): casadi.external vs CasADi differ by \(worst)")
        #expect(entry["name_in"] as? String == "x")
    }
    #expect(report["panda_fk"]?["jac_shape"] as? [Int] == [12, 7])
}

/// Several inputs, a dense and two sparse outputs, in double and in float arithmetic (behind
/// CasADi's interface the ports stay double), loaded by casadi.external: every output matches
/// CasADi's own evaluation, also when CasADi passes NULL for outputs it does not need, and the
/// sparsity CasADi reads is ours.
@Test(arguments: [CodegenOptions.RealType.double, .float])
func casadiLoadsSeveralPortsSparseOutputsAndNullOutputs(_ real: CodegenOptions.RealType) throws {
    let directory = try CToolchain.temporaryDirectory("casadi-ports")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let base = try ReferenceProblems.cartpoleStep(ExprContext())
    let xu = try base.input(0), phi = try base.output(0)
    let jacobian = try sparseJacobian(of: phi, wrt: xu)
    let hessian = try sparseHessian(of: phi[0], wrt: xu)
    let name = real == .double ? "cp_ports" : "cp_ports_float"
    let function = try Function(name, inputs: [("s", xu[0..<4, 0..<1]), ("u", xu[4..<5, 0..<1])],
                                outputs: [("phi", phi), ("J", jacobian), ("H", hessian)])
    var options = CodegenOptions()
    options.real = real
    try CGenerator.generate([function], baseName: "ports", options: options).write(to: directory)
    let library = "\(directory)/libports.so"
    let build = try CToolchain.run(["gcc", "-O2", "-fPIC", "-shared"] + CToolchain.strictFlags + ["-o", library, "\(directory)/ports.c", "-lm"])
    try #require(build.succeeded, "gcc: \(build.errors)")
    let run = try CToolchain.run(["python3", testsDirectory.appendingPathComponent("Clients/casadi_ports.py").path, library, twinDirectory, name])
    try #require(run.succeeded, "python3 with casadi failed (make test installs casadi): \(run.errors)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    let tolerance = real == .double ? 1e-13 : 1e-4
    #expect(try #require(report["max_rel_diff"] as? Double) < tolerance, "\(report)")
    #expect(try #require(report["max_rel_diff_null_outputs"] as? Double) < tolerance, "\(report)")
    #expect(report["names_in"] as? [String] == ["s", "u"])
    #expect(report["names_out"] as? [String] == ["phi", "J", "H"])
    #expect(report["nnz_out"] as? [Int] == [4, jacobian.pattern.nonzeroCount, hessian.pattern.nonzeroCount])
}

/// CasADi loads a map's Hessian and Jacobian and a fold's gradient from one library built with
/// gcc, and they equal CasADi's own SX derivatives of the same math (values and patterns).
@Test func casadiExternalLoadsMapsFoldsAndCalls() throws {
    let directory = try CToolchain.temporaryDirectory("casadi_maps")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (n, steps) = (40, 200)
    let products: [(String, LoopedFunction)] = [
        ("rosenbrock_hess", try MapProduct.hessian(of: try ReferenceProblems.rosenbrockMap(n: n), output: 0, wrt: 0, name: "rosenbrock_hess")),
        ("gaps_jac", try MapProduct.jacobian(of: try ReferenceProblems.cartpoleShootingMaps(intervals: 6).gaps, output: 0, wrt: 0, name: "gaps_jac")),
        ("chain_grad", try FoldJacobian(of: try ReferenceProblems.deepChainFold(steps: steps, checkpoint: 16), wrt: 0, name: "chain_grad")),
        ("gaps_calls_jac", try ReferenceProblems.cartpoleShootingCalls(intervals: 6).gaps.jacobian(of: 0, wrt: 0, name: "gaps_calls_jac")),
        ("lagrangian_calls_hess", try ReferenceProblems.cartpoleShootingCalls(intervals: 6).lagrangian.hessian(of: 0, wrt: 0, name: "lagrangian_calls_hess")),
    ]
    var sources: [String] = []
    for (name, product) in products {
        let code = try product.generate(baseName: name, options: CodegenOptions())
        #expect(try product.generate(baseName: name, options: CodegenOptions()).source == code.source, "\(name): not deterministic")
        try code.write(to: directory)
        sources.append("\(directory)/\(name).c")
    }
    let library = "\(directory)/libloops.so"
    let build = try CToolchain.run(["gcc", "-O2", "-fPIC", "-shared"] + CToolchain.strictFlags + ["-o", library] + sources + ["-lm"])
    try #require(build.succeeded, "gcc: \(build.errors)")
    let run = try CToolchain.run(["python3", testsDirectory.appendingPathComponent("Clients/casadi_map.py").path, library, "\(n)", "\(steps)", twinDirectory])
    try #require(run.succeeded, "python3 with casadi failed (make test installs casadi): \(run.errors)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Any]])
    for (name, _) in products {
        let entry = try #require(report[name], "\(name) missing from \(report)")
        #expect((entry["max_rel_diff"] as? Double ?? 1) < 1e-12, "\(name): \(entry)")
        #expect(entry["same_pattern"] as? Bool == true, "\(name): \(entry)")
    }
}

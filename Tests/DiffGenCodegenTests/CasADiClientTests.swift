import DiffGenAD
import DiffGenCodegen
import DiffGenCore
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

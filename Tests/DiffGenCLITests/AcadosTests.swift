import DiffGenTestSupport
import Foundation
import Testing

// `diffgen acados` writes the four explicit-ODE model functions acados runs; copied over the ones
// acados generates for the cart-pole OCP (SQP-RTI, HPIPM, exact Hessian, ERK4), the closed loop
// is the one acados runs on its own code. acados comes from the wheel comma-deps-acados in
// .venv-acados (make test installs it).

@Test func acadosRunsTheCartPoleOnDiffGensModelFunctions() throws {
    let python = root.appendingPathComponent(".venv-acados/bin/python").path
    try #require(FileManager.default.isExecutableFile(atPath: python), "acados is missing: make test installs it into .venv-acados")
    let directory = try CToolchain.temporaryDirectory("acados")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let generate = try diffgen(["acados", root.appendingPathComponent("examples/models/cartpole_ode.dg").path, "--function", "cartpole", "-o", "\(directory)/model"])
    try #require(generate.status == 0, "\(generate.errors)")
    let files = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/model").filter { $0.hasSuffix(".c") }.sorted()
    #expect(files == ["cartpole_expl_ode_fun.c", "cartpole_expl_ode_hess.c", "cartpole_expl_vde_adj.c", "cartpole_expl_vde_forw.c"])
    let script = root.appendingPathComponent("Benchmarks/acados/cartpole_rti.py").path
    let run = try CToolchain.run([python, script, "\(directory)/work", "\(directory)/model", "60", "1"])
    try #require(run.succeeded, "\(run.errors.suffix(3000))")
    let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/work/result.json"))
    let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    let theirs = try #require(result["acados"]), ours = try #require(result["diffgen"])
    #expect(theirs["failed_steps"] as? Int == 0 && ours["failed_steps"] as? Int == 0)
    let (a, b) = (theirs["states"] as! [[Double]], ours["states"] as! [[Double]])
    #expect(a.count == 61 && b.count == 61)
    let gap = zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
    #expect(gap <= 1e-9, "closed loops differ by \(gap)")
    // The loop does something: the pole, started at 0.4 rad, is brought near upright.
    #expect(abs(b.last![1]) < 0.4 && abs(b[10][1] - b[0][1]) > 1e-3)
}

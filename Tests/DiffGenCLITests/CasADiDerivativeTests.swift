import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

// `diffgen generate --casadi-derivatives`: the library carries the derivative functions CasADi
// looks up beside `step`, named, shaped and sparse exactly as CasADi makes its own, with the
// same values; IPOPT through nlpsol, with the exact Hessian and finite differences disabled,
// solves the cart-pole OCP on it to CasADi's own optimum.

private let client = root.appendingPathComponent("Tests/DiffGenCLITests/Clients/casadi_derivatives.py").path
private let ocp = root.appendingPathComponent("Benchmarks/casadi/cartpole_ocp.py").path

/// The README's cart-pole with only one of its functions, generated into `directory` with the
/// `generate` options given and built into a shared library; returns the library's path.
private func buildStep(_ directory: String, keeping function: String = "step", options: [String]) throws -> String {
    let model = try String(contentsOfFile: root.appendingPathComponent("examples/models/cartpole.dg").path, encoding: .utf8)
        .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("function ") || $0.hasPrefix("function \(function)(") }
    try model.joined(separator: "\n").write(toFile: "\(directory)/cartpole.dg", atomically: true, encoding: .utf8)
    let run = try diffgen(["generate", "\(directory)/cartpole.dg", "-o", "\(directory)/out"] + options)
    try #require(run.status == 0, "\(run.errors)")
    let make = try CToolchain.run(["make", "-C", "\(directory)/out", "shared"])
    try #require(make.succeeded, "\(make.errors)")
    return "\(directory)/out/libcartpole.so"
}

@Test func casadiDerivativeFunctionsMatchCasADisOwn() throws {
    let directory = try CToolchain.temporaryDirectory("casadi-derivatives")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let library = try buildStep(directory, options: ["--casadi-derivatives"])
    let check = try CToolchain.run(["python3", client, library, "step", "2"])
    #expect(check.succeeded, "\(check.output)\(check.errors)")
    // All twelve: jac_, fwd1_, adj1_ of step and of each of them.
    #expect(check.output.split(separator: "\n").count == 13, "\(check.output)")
    // A sparse output (A), first order, up to four directions at once.
    let sparse = try CToolchain.temporaryDirectory("casadi-derivatives-sparse")
    defer { try? FileManager.default.removeItem(atPath: sparse) }
    let linearization = try buildStep(sparse, keeping: "linearization", options: ["--casadi-derivatives", "--derivative-order", "1", "--max-directions", "4"])
    let first = try CToolchain.run(["python3", client, linearization, "linearization", "1", "4"])
    // jac_, fwd1/2/4_ and adj1/2/4_.
    #expect(first.succeeded && first.output.split(separator: "\n").count == 8, "\(first.output)\(first.errors)")
}

@Test func ipoptSolvesTheCartPoleOCPOnTheLibraryAsOnCasADi() throws {
    let directory = try CToolchain.temporaryDirectory("casadi-ipopt")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let library = try buildStep(directory, options: ["--casadi-derivatives"])
    // The whole NLP from cartpole_ms.dg as nlpsol's functions (f, g, grad_f, jac_g, hess_lag).
    let ms = try Model(contentsOf: root.appendingPathComponent("examples/models/cartpole_ms.dg").path)
    let w = try #require(ms.inputs.first { $0.name == "w" }?.value)
    let objective = try #require(ms.functions.first { $0.name == "objective" }), constraints = try #require(ms.functions.first { $0.name == "constraints" })
    let nlp = try CasADiNLP.functions(x: w, p: Matrix(ms.context, rows: 0, cols: 1), f: try objective.output(0)[0], g: try constraints.output(0))
    var code = try CGenerator.generate(nlp + (try nlp.prefix(2).flatMap { try CasADiDerivatives.functions(of: $0, order: 1) }), baseName: "nlp")
    code.buildFiles = try CGenerator.buildFiles(baseName: "nlp", sources: ["nlp.c"], linkMath: true)
    try FileManager.default.createDirectory(atPath: "\(directory)/nlp", withIntermediateDirectories: true)
    try code.write(to: "\(directory)/nlp")
    let make = try CToolchain.run(["make", "-C", "\(directory)/nlp", "shared"])
    try #require(make.succeeded, "\(make.errors)")
    let run = try CToolchain.run(["python3", ocp, library, "1", "\(directory)/nlp/libnlp.so"])
    try #require(run.succeeded, "\(run.errors)")
    let result = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Any]])
    let casadi = try #require(result["casadi"])
    for label in ["diffgen", "diffgen_nlp"] {
        let ours = try #require(result[label])
        #expect(casadi["status"] as? String == "Solve_Succeeded" && ours["status"] as? String == "Solve_Succeeded", "\(label)")
        let (a, b) = (casadi["x"] as! [Double], ours["x"] as! [Double])
        #expect(a.count == 104 && b.count == 104)
        #expect(zip(a, b).map { abs($0 - $1) }.max()! <= 1e-8, "\(label)")
        #expect(abs((casadi["iterations"] as! Int) - (ours["iterations"] as! Int)) <= 1, "\(label)")
    }
    // Without the derivative functions CasADi cannot differentiate the step and the solve fails.
    let bare = try buildStep(try CToolchain.temporaryDirectory("casadi-bare"), options: [])
    defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: bare).deletingLastPathComponent().deletingLastPathComponent().path) }
    let refused = try CToolchain.run(["python3", ocp, bare, "1"])
    #expect(!refused.succeeded && refused.errors.contains("Derivatives cannot be calculated for step"), "\(refused.errors)")
}

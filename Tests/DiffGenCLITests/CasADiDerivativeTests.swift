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
    let run = try CToolchain.run(["python3", ocp, library, "1"])
    try #require(run.succeeded, "\(run.errors)")
    let result = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Any]])
    let casadi = try #require(result["casadi"]), ours = try #require(result["diffgen"])
    #expect(casadi["status"] as? String == "Solve_Succeeded" && ours["status"] as? String == "Solve_Succeeded")
    let (a, b) = (casadi["x"] as! [Double], ours["x"] as! [Double])
    #expect(a.count == 104 && b.count == 104)
    #expect(zip(a, b).map { abs($0 - $1) }.max()! <= 1e-8)
    #expect(abs((casadi["iterations"] as! Int) - (ours["iterations"] as! Int)) <= 1)
    // Without the derivative functions CasADi cannot differentiate the step and the solve fails.
    let bare = try buildStep(try CToolchain.temporaryDirectory("casadi-bare"), options: [])
    defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: bare).deletingLastPathComponent().deletingLastPathComponent().path) }
    let refused = try CToolchain.run(["python3", ocp, bare, "1"])
    #expect(!refused.succeeded && refused.errors.contains("Derivatives cannot be calculated for step"), "\(refused.errors)")
}

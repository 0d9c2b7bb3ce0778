import ArgumentParser
import DiffGen
import Foundation

/// IPOPT (CasADi's nlpsol, exact Hessian) on the cart-pole multiple-shooting OCP, N = 20: all in
/// CasADi against the step from a DiffGen library with CasADi's derivative functions, loaded by
/// casadi.external. Same run, same solver settings, medians of repeated solves.
struct OptimalControl: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ocp", abstract: "The cart-pole OCP through IPOPT: CasADi's model against DiffGen's library.")

    @Option(help: "Solves of each formulation (the median is printed).") var repetitions = 21

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diffgen-bench-ocp-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try Model(contentsOf: "examples/models/cartpole.dg")
        guard let step = model.functions.first(where: { $0.name == "step" }) else { throw BenchError("cartpole.dg has no step function") }
        var code = try CGenerator.generate([step] + (try CasADiDerivatives.functions(of: step)), baseName: "cartpole")
        code.buildFiles = try CGenerator.buildFiles(baseName: "cartpole", sources: ["cartpole.c"], linkMath: true)
        try FileManager.default.createDirectory(atPath: "\(directory)/nlp", withIntermediateDirectories: true)
        try code.write(to: directory)
        let make = try runCommand(["make", "-C", directory, "shared"])
        guard make.status == 0 else { throw BenchError("make failed: \(make.errors)") }
        // The whole NLP from cartpole_ms.dg, for nlpsol's grad_f, jac_g and hess_lag options.
        let ms = try Model(contentsOf: "examples/models/cartpole_ms.dg")
        guard let w = ms.inputs.first(where: { $0.name == "w" })?.value, let objective = ms.functions.first(where: { $0.name == "objective" }),
              let constraints = ms.functions.first(where: { $0.name == "constraints" }) else { throw BenchError("cartpole_ms.dg lacks w, objective or constraints") }
        let nlpFunctions = try CasADiNLP.functions(x: w, p: Matrix(ms.context, rows: 0, cols: 1), f: try objective.output(0)[0], g: try constraints.output(0))
        // nlpsol also differentiates f and g once (the multipliers' gradient after the solve).
        let firstOrder = try nlpFunctions.prefix(2).flatMap { try CasADiDerivatives.functions(of: $0, order: 1) }
        var nlp = try CGenerator.generate(nlpFunctions + firstOrder, baseName: "cartpole_nlp")
        nlp.buildFiles = try CGenerator.buildFiles(baseName: "cartpole_nlp", sources: ["cartpole_nlp.c"], linkMath: true)
        try nlp.write(to: "\(directory)/nlp")
        let makeNLP = try runCommand(["make", "-C", "\(directory)/nlp", "shared"])
        guard makeNLP.status == 0 else { throw BenchError("make failed: \(makeNLP.errors)") }
        let solve = try runCommand(["python3", "Benchmarks/casadi/cartpole_ocp.py", "\(directory)/libcartpole.so", "\(repetitions)", "\(directory)/nlp/libcartpole_nlp.so"])
        guard solve.status == 0, let result = try JSONSerialization.jsonObject(with: Data(solve.output.utf8)) as? [String: [String: Any]],
              let casadi = result["casadi"], let ours = result["diffgen"], let whole = result["diffgen_nlp"] else { throw BenchError("the OCP client failed: \(solve.errors)") }
        let (a, b) = (casadi["x"] as? [Double] ?? [], ours["x"] as? [Double] ?? [])
        let c = whole["x"] as? [Double] ?? []
        let gap = max(zip(a, b).map { abs($0 - $1) }.max() ?? .nan, zip(a, c).map { abs($0 - $1) }.max() ?? .nan)
        let (tCasADi, tOurs) = (casadi["median_seconds"] as? Double ?? .nan, ours["median_seconds"] as? Double ?? .nan)
        print("\n| cart-pole OCP, N = 20, IPOPT exact Hessian | iterations | solve ms (median of \(repetitions)) | DiffGen / CasADi |")
        print("| --- | --- | --- | --- |")
        print(String(format: "| CasADi (SX model, NLP expanded) | %d | %.2f | |", casadi["iterations"] as? Int ?? -1, tCasADi * 1e3))
        print(String(format: "| DiffGen's step via casadi.external (MX NLP, CasADi differentiates through jac_/fwd/adj) | %d | %.2f | %.2f |",
                     ours["iterations"] as? Int ?? -1, tOurs * 1e3, tOurs / tCasADi))
        let tWhole = whole["median_seconds"] as? Double ?? .nan
        print(String(format: "| DiffGen's NLP functions (nlpsol's grad_f, jac_g, hess_lag from cartpole_ms.dg) | %d | %.2f | %.2f |",
                     whole["iterations"] as? Int ?? -1, tWhole * 1e3, tWhole / tCasADi))
        print(String(format: "largest difference between the optima: %.1e", gap))
        Summary.record("cart-pole OCP IPOPT solve, DiffGen step via casadi.external", diffgen: tOurs, anchor: tCasADi, anchorName: "CasADi (SX)", unit: "s")
        Summary.record("cart-pole OCP IPOPT solve, DiffGen NLP functions", diffgen: tWhole, anchor: tCasADi, anchorName: "CasADi (SX)", unit: "s")
    }
}

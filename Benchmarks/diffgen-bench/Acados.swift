import ArgumentParser
import DiffGen
import Foundation

/// acados' SQP-RTI step on the cart-pole OCP with its own model code against DiffGen's
/// (`diffgen acados`), closed loops interleaved in one process (Benchmarks/acados/cartpole_rti.py).
struct AcadosBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "acados", abstract: "acados' RTI step on its model code against DiffGen's.")

    @Option(help: "Closed-loop steps per round.") var steps = 200
    @Option(help: "Interleaved rounds (medians of per-round medians are printed).") var rounds = 11

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diffgen-bench-acados-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try Model(contentsOf: "examples/models/cartpole_ode.dg")
        guard let ode = model.functions.first(where: { $0.name == "cartpole" }) else { throw BenchError("cartpole_ode.dg has no cartpole function") }
        try FileManager.default.createDirectory(atPath: "\(directory)/model", withIntermediateDirectories: true)
        var options = CodegenOptions()
        options.indexType = .int
        for function in try AcadosFunctions.explicitODE(name: "cartpole", x: try ode.input(0), u: try ode.input(1),
                                                        p: Matrix(ode.context, rows: 0, cols: 1), f: try ode.output(0)) {
            try CGenerator.generate([function], baseName: function.name, options: options).write(to: "\(directory)/model")
        }
        let run = try runCommand([".venv-acados/bin/python", "Benchmarks/acados/cartpole_rti.py", "\(directory)/work", "\(directory)/model", "\(steps)", "\(rounds)"])
        guard run.status == 0, let data = FileManager.default.contents(atPath: "\(directory)/work/result.json"),
              let result = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]],
              let theirs = result["acados"], let ours = result["diffgen"] else { throw BenchError("the acados client failed: \(run.errors.suffix(2000))") }
        func value(_ r: [String: Any], _ key: String) -> Double { r[key] as? Double ?? .nan }
        print("\n| acados SQP-RTI, cart-pole N = 20, exact Hessian (µs per step, median) | step | linearization | QP |")
        print("| --- | --- | --- | --- |")
        for (label, r) in [("acados' own model code (CasADi)", theirs), ("DiffGen's model code", ours)] {
            print(String(format: "| %@ | %.1f | %.1f | %.1f |", label, value(r, "step_us"), value(r, "linearization_us"), value(r, "qp_us")))
        }
        Summary.record("acados SQP-RTI cart-pole step", diffgen: value(ours, "step_us"), anchor: value(theirs, "step_us"), anchorName: "acados' own model code", unit: "µs")
        Summary.record("acados SQP-RTI cart-pole linearization", diffgen: value(ours, "linearization_us"), anchor: value(theirs, "linearization_us"),
                       anchorName: "acados' own model code", unit: "µs")
        print(String(format: "DiffGen / acados: step %.2f, linearization %.2f", value(ours, "step_us") / value(theirs, "step_us"),
                     value(ours, "linearization_us") / value(theirs, "linearization_us")))
    }
}

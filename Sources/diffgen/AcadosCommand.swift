import ArgumentParser
import DiffGen
import Foundation

struct Acados: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acados",
        abstract: "Write the explicit-ODE model functions acados runs, to replace the ones it generates.",
        discussion: """
        The model's function FUNCTION must take x, u and optionally p, and return ẋ. Writes \
        FUNCTION_expl_ode_fun.c, FUNCTION_expl_vde_forw.c, FUNCTION_expl_vde_adj.c and \
        FUNCTION_expl_ode_hess.c (each with its header) in CasADi's calling convention with int \
        indices, as acados declares them for a model named FUNCTION: copy them over the files in \
        c_generated_code/FUNCTION_model/ and rebuild the solver.
        """
    )

    @OptionGroup var model: ModelOptions
    @Option(help: "The function giving ẋ (inputs x, u[, p]; one output); it names the acados model.") var function: String
    @Option(name: .shortAndLong, help: "The output directory (created if missing).") var output: String

    func run() throws {
        let built = try model.load()
        guard let ode = built.functions.first(where: { $0.name == function }) else {
            throw CommandFailure.input("\(model.model): no function '\(function)' (functions: \(built.functions.map(\.name).joined(separator: ", ")))")
        }
        guard (2...3).contains(ode.inputs.count), ode.outputs.count == 1 else {
            throw CommandFailure.input("\(model.model): '\(function)' must take x, u[, p] and return ẋ; it takes \(ode.inputs.count) inputs and returns \(ode.outputs.count) outputs")
        }
        let p = ode.inputs.count == 3 ? try ode.input(2) : Matrix(ode.context, rows: 0, cols: 1)
        var options = CodegenOptions()
        options.indexType = .int
        do {
            let functions = try AcadosFunctions.explicitODE(name: function, x: try ode.input(0), u: try ode.input(1), p: p, f: try ode.output(0))
            // Everything is generated before anything is written: an error writes nothing.
            let codes = try functions.map { try CGenerator.generate([$0], baseName: $0.name, options: options) }
            for code in codes { try code.write(to: output) }
            print("wrote \(codes.map { "\($0.baseName).c" }.joined(separator: ", ")) to \(output)")
        } catch let error as DifferentiationError {
            throw CommandFailure.input("\(model.model): \(error)")
        } catch let error as CodegenError {
            throw CommandFailure.input("\(model.model): \(error)")
        }
    }
}

import DiffGen
import ReferenceProblems

/// One benchmark problem: how to build it in DiffGen, and its name and size for the CasADi twin.
struct Problem {
    let label: String
    let twinName: String
    let size: Int
    let build: (ExprContext) throws -> Function

    static func all(quick: Bool) -> [Problem] {
        var list = [
            Problem(label: "panda_fk", twinName: "panda_fk", size: 0, build: ReferenceProblems.pandaFK),
            Problem(label: "cartpole_step", twinName: "cartpole_step", size: 0, build: ReferenceProblems.cartpoleStep),
            Problem(label: "mlp_hessian", twinName: "mlp", size: 0, build: ReferenceProblems.mlp),
            Problem(label: "rosenbrock_ext_1000", twinName: "rosenbrock", size: 1000) { try ReferenceProblems.rosenbrock($0, n: 1000) },
            Problem(label: "nbody_energy", twinName: "nbody_energy", size: 0) { try ReferenceProblems.nbodyEnergy($0) },
            Problem(label: "deep_chain_1e5", twinName: "deep_chain", size: 100_000) { try ReferenceProblems.deepChain($0, steps: 100_000) },
        ]
        if !quick {
            list.append(Problem(label: "rosenbrock_ext_100000", twinName: "rosenbrock", size: 100_000) { try ReferenceProblems.rosenbrock($0, n: 100_000) })
            list.append(Problem(label: "deep_chain_1e6", twinName: "deep_chain", size: 1_000_000) { try ReferenceProblems.deepChain($0, steps: 1_000_000) })
        }
        return list
    }

    static func named(_ label: String) -> Problem? { all(quick: false).first { $0.label == label } }

    /// Inputs at PROBLEMS.md's evaluation point (deep_chain has its own).
    func defaultInputs(_ function: Function) -> [[Double]] {
        if twinName == "deep_chain" { return [[1.5, 0.5]] }
        var offset = 0
        return function.inputs.map { port in
            defer { offset += port.count }
            return ReferenceProblems.defaultPoint(port.count, offset: offset)
        }
    }
}

import DiffGen
import ReferenceProblems

/// A derivative product of a reference problem: how DiffGen builds it, and its twin's names.
struct DerivativeProduct {
    let label: String
    let twinProblem: String
    let twinProduct: String
    let size: Int
    /// Builds the base expressions (untimed) and returns the inputs, the evaluation point, and a
    /// closure that builds the derivative (timed).
    let prepare: (ExprContext) throws -> (inputs: [(String, Matrix)], point: [[Double]], derive: () throws -> SparseMatrix)

    static func all(quick: Bool) -> [DerivativeProduct] {
        func scalarProblem(_ label: String, _ twin: String, _ product: String, size: Int = 0,
                           _ build: @escaping (ExprContext) throws -> Function,
                           _ derive: @escaping (Function) throws -> SparseMatrix) -> DerivativeProduct {
            DerivativeProduct(label: label, twinProblem: twin, twinProduct: product, size: size) { context in
                let f = try build(context)
                let point = [ReferenceProblems.defaultPoint(f.inputs[0].count)]
                return ([(f.inputs[0].name, try f.input(0))], point, { try derive(f) })
            }
        }
        func multipleShooting(_ product: String, _ derive: @escaping (ReferenceProblems.MultipleShooting) throws -> SparseMatrix) -> DerivativeProduct {
            DerivativeProduct(label: "cartpole_ms/\(product)", twinProblem: "cartpole_ms", twinProduct: product, size: 0) { context in
                let ms = try ReferenceProblems.cartpoleMultipleShooting(context)
                let withMultipliers = product == "hess_L"
                let inputs: [(String, Matrix)] = withMultipliers
                    ? [("w", ms.w), ("lambda", ms.lambda), ("sigma", Matrix(ms.sigma))] : [("w", ms.w)]
                let point = withMultipliers
                    ? [ReferenceProblems.defaultPoint(104), ReferenceProblems.defaultPoint(80, offset: 104), [1]]
                    : [ReferenceProblems.defaultPoint(104)]
                return (inputs, point, { try derive(ms) })
            }
        }
        var list = [
            scalarProblem("panda_fk/jac", "panda_fk", "jac", ReferenceProblems.pandaFK) { try sparseJacobian(of: $0.output(0), wrt: $0.input(0)) },
            scalarProblem("cartpole_step/jac_phi", "cartpole_step", "jac", ReferenceProblems.cartpoleStep) { try sparseJacobian(of: $0.output(0), wrt: $0.input(0)) },
            multipleShooting("jac_g") { try sparseJacobian(of: $0.constraints, wrt: $0.w) },
            multipleShooting("grad_J") { try gradient(of: $0.objective, wrt: $0.w).asSparse() },
            multipleShooting("hess_L") { try sparseLagrangianHessian(objective: $0.objective, constraints: $0.constraints, wrt: $0.w, objectiveWeight: $0.sigma, multipliers: $0.lambda) },
            scalarProblem("mlp_hessian/grad", "mlp", "grad", ReferenceProblems.mlp) { try gradient(of: $0.output(0)[0], wrt: $0.input(0)).asSparse() },
            scalarProblem("mlp_hessian/hess", "mlp", "hess", ReferenceProblems.mlp) { try sparseHessian(of: $0.output(0)[0], wrt: $0.input(0)) },
            scalarProblem("rosenbrock_ext_1000/grad", "rosenbrock", "grad", size: 1000, { try ReferenceProblems.rosenbrock($0, n: 1000) }) { try gradient(of: $0.output(0)[0], wrt: $0.input(0)).asSparse() },
            scalarProblem("rosenbrock_ext_1000/hess", "rosenbrock", "hess", size: 1000, { try ReferenceProblems.rosenbrock($0, n: 1000) }) { try sparseHessian(of: $0.output(0)[0], wrt: $0.input(0)) },
            scalarProblem("nbody_energy/grad", "nbody_energy", "grad", { try ReferenceProblems.nbodyEnergy($0) }) { try gradient(of: $0.output(0)[0], wrt: $0.input(0)).asSparse() },
            scalarProblem("nbody_energy/hess", "nbody_energy", "hess", { try ReferenceProblems.nbodyEnergy($0) }) { try sparseHessian(of: $0.output(0)[0], wrt: $0.input(0)) },
        ]
        list.append(DerivativeProduct(label: "deep_chain_1e5/grad", twinProblem: "deep_chain", twinProduct: "grad", size: 100_000) { context in
            let f = try ReferenceProblems.deepChain(context, steps: 100_000)
            return ([("z", try f.input(0))], [[1.5, 0.5]], { try gradient(of: f.output(0)[0], wrt: f.input(0)).asSparse() })
        })
        _ = quick
        return list
    }
}

extension Matrix {
    /// All entries as stored nonzeros.
    func asSparse() -> SparseMatrix {
        SparseMatrix(pattern: .dense(rows: rows, cols: cols), nonzeros: ids, in: context)
    }
}

extension Run {
    func measureDerivatives(twin: CasADiTwin, reps: Int, quick: Bool, report: inout Report) throws {
        print("\n## Derivatives (symbolic build; ops after CSE — CasADi with cse=True)\n")
        print("| product | nnz | colors DiffGen | colors CasADi | ops DiffGen | ops CasADi | ops ratio | build DiffGen | build CasADi | time ratio | max rel. diff |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for product in DerivativeProduct.all(quick: quick) {
            var ours: [Double] = [], theirs: [Double] = []
            var ops = 0, casadiOps = 0, worst = 0.0, nonzeros = 0
            var ourColors = "–", theirColors = "–"
            for rep in 0..<reps {
                let context = ExprContext()
                let (inputs, point, derive) = try product.prepare(context)
                var derivative: SparseMatrix? = nil
                ours.append(try cpuSeconds { derivative = try derive() })
                var command: [String: Any] = ["cmd": "derivative", "problem": product.twinProblem, "size": product.size,
                                              "product": product.twinProduct, "count_ops": rep == 0]
                if rep == 0 {
                    // Dense here, to compare entry by entry with CasADi's full() values.
                    let function = try Function("d", inputs: inputs, outputs: [("d", derivative!.dense())])
                    ops = function.operationCount
                    command["points"] = [point]
                    let answer = try twin.request(command)
                    casadiOps = answer["ops_cse"] as? Int ?? 0
                    theirs.append(answer["seconds"] as? Double ?? .nan)
                    let pattern = derivative!.pattern
                    nonzeros = pattern.nonzeroCount
                    let theirColoring = answer["colors"] as? [String: Int] ?? [:]
                    if product.twinProduct.hasPrefix("hess") {
                        ourColors = "star \(pattern.starColoring().count)"
                        theirColors = "star \(theirColoring["star"].map(String.init) ?? "–")"
                    } else if pattern.cols > 1 && pattern.rows > 1 {
                        ourColors = "\(pattern.columnColoring().count) col / \(pattern.rowColoring().count) row"
                        theirColors = "\(theirColoring["column"] ?? 0) col / \(theirColoring["row"] ?? 0) row"
                    }
                    let values = try Interpreter(function).evaluate(point)[0]
                    let reference = (answer["values"] as? [[Double]])?.first ?? []
                    worst = values.count == reference.count ? zip(values, reference).map { Swift.abs($0 - $1) / max(1, Swift.abs($1)) }.max() ?? 0 : .infinity
                } else {
                    theirs.append(try twin.request(command)["seconds"] as? Double ?? .nan)
                }
            }
            let (a, b) = (median(ours), median(theirs))
            report.derivatives[product.label] = ["diffgen": ours, "casadi": theirs, "ops": [Double(ops), Double(casadiOps)], "max_rel_diff": [worst]]
            Summary.record("\(product.label): derivative operations", diffgen: Double(ops), anchor: Double(casadiOps), anchorName: "CasADi (cse)", unit: "operations")
            Summary.record("\(product.label): derivative build", diffgen: a, anchor: b, anchorName: "CasADi", unit: "s")
            print("| \(product.label) | \(nonzeros) | \(ourColors) | \(theirColors) | \(ops) | \(casadiOps) | \(format3(Double(ops) / Double(casadiOps))) | \(formatSeconds(a)) | \(formatSeconds(b)) | \(format3(a / b)) | \(worst <= 1e-9 ? String(format: "%.1e", worst) : "DIFFERENT \(worst)") |")
        }
    }
}

extension DerivativeProduct {
    /// The product `label` as a function of its problem's inputs, with its evaluation point.
    static func function(named name: String, product label: String) throws -> (Function, [[Double]]) {
        // The scale section's large Hessian too, for profiling model-to-C.
        let large = DerivativeProduct(label: "rosenbrock_ext_100000/hess", twinProblem: "rosenbrock", twinProduct: "hess", size: 100_000) { context in
            let f = try ReferenceProblems.rosenbrock(context, n: 100_000)
            return ([("x", try f.input(0))], [ReferenceProblems.defaultPoint(100_000)], { try sparseHessian(of: f.output(0)[0], wrt: f.input(0)) })
        }
        guard let product = (all(quick: false) + [large]).first(where: { $0.label == label }) else {
            throw BenchError("unknown product \(label); one of \(all(quick: false).map(\.label))")
        }
        let (inputs, point, derive) = try product.prepare(ExprContext())
        return (try Function(name, inputs: inputs, outputs: [("d", try derive())]), point)
    }
}

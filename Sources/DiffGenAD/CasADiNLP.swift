import DiffGenCore

/// An NLP's functions as CasADi's `nlpsol` asks for them, under its names and port names, so
/// a DiffGen library can stand in for every derivative IPOPT needs (pass them as the options
/// `grad_f`, `jac_g` and `hess_lag`, loaded with `casadi.external`):
///
/// - `nlp_f(x, p) → f`, `nlp_g(x, p) → g`
/// - `nlp_grad_f(x, p) → (f, grad_f_x)`
/// - `nlp_jac_g(x, p) → (g, jac_g_x)` (sparse)
/// - `nlp_hess_l(x, p, lam_f, lam_g) → triu_hess_gamma_x_x`: the upper triangle of
///   ∇²ₓ(lam_f·f + lam_gᵀg) (sparse).
public enum CasADiNLP {
    public static func functions(x: Matrix, p: Matrix, f: Expr, g: Matrix) throws -> [Function] {
        let context = x.context
        let lamF = context.symbol("lam_f"), lamG = context.vector("lam_g", count: g.count)
        let hessian = try sparseLagrangianHessian(objective: f, constraints: g, wrt: x, objectiveWeight: lamF, multipliers: lamG)
        let pattern = hessian.pattern
        var entries: [(row: Int, col: Int)] = [], nonzeros: [NodeID] = []
        for col in 0..<pattern.cols {
            for k in Int(pattern.columnStarts[col])..<Int(pattern.columnStarts[col + 1]) where Int(pattern.rowIndices[k]) <= col {
                entries.append((Int(pattern.rowIndices[k]), col))
                nonzeros.append(hessian.nonzeros[k])
            }
        }
        let upper = SparseMatrix(pattern: Pattern(rows: pattern.rows, cols: pattern.cols, entries: entries), nonzeros: nonzeros, in: context)
        let inputs = [("x", x), ("p", p)]
        return [
            try Function("nlp_f", inputs: inputs, outputs: [("f", Matrix(f))]),
            try Function("nlp_g", inputs: inputs, outputs: [("g", g)]),
            try Function("nlp_grad_f", inputs: inputs, outputs: [("f", Matrix(f)), ("grad_f_x", try gradient(of: f, wrt: x))]),
            try Function("nlp_jac_g", inputs: inputs, outputs: [("g", g), ("jac_g_x", try sparseJacobian(of: g, wrt: x))]),
            try Function("nlp_hess_l", inputs: inputs + [("lam_f", Matrix(lamF)), ("lam_g", lamG)], outputs: [("triu_hess_gamma_x_x", upper)]),
        ]
    }
}

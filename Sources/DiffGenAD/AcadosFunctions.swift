import DiffGenCore

/// The model functions acados runs for an explicit ODE ẋ = f(x, u, p), under the names and
/// signatures its templates declare (`<model>_expl_ode_fun` and friends, CasADi's calling
/// convention with `int` indices), so DiffGen's C can replace the files acados generates:
///
/// - `expl_ode_fun(x, u, p) → f`
/// - `expl_vde_forw(x, Sx, Sp, u, p) → (f, ∂f/∂x·Sx, ∂f/∂u + ∂f/∂x·Sp)` (forward sensitivities)
/// - `expl_vde_adj(x, λ, u, p) → [∂f/∂x ∂f/∂u]ᵀλ`
/// - `expl_ode_hess(x, Sx, Sp, λ, u, p) → (the adjoint, the lower triangle of Sᵀ∇²(λᵀf)S by
///   columns)`, S = [Sx Sp; 0 I].
public enum AcadosFunctions {
    /// The four functions for the model `name`; `p` may have no entries.
    public static func explicitODE(name: String, x: Matrix, u: Matrix, p: Matrix, f: Matrix) throws -> [Function] {
        let context = f.context
        let (nx, nu) = (x.count, u.count)
        guard f.count == nx else { throw DifferentiationError.wrongLength(what: "the right-hand side", expected: nx, got: f.count) }
        let xu = try Matrix.vertical([x, u])
        let sx = context.matrix("Sx", rows: nx, cols: nx), sp = context.matrix("Sp", rows: nx, cols: nu)
        let lambda = context.vector("lambdaX", count: nx)
        let ode = try Function("\(name)_expl_ode_fun", inputs: [("x", x), ("u", u), ("p", p)], outputs: [("f", f)])
        // Forward sensitivities: one directional derivative per column of Sx and of [Sp; I].
        let zeros = Matrix(context, rows: nu, cols: 1)
        let xDirections = try (0..<nx).map { try Matrix.vertical([sx.column($0), zeros]) }
        let identity = Matrix.identity(nu, in: context)
        let uDirections = try (0..<nu).map { j in try Matrix.vertical([sp.column(j), identity.column(j)]) }
        let tangents = try jvp(of: f, wrt: xu, along: xDirections + uDirections)
        let vdeX = try Matrix.horizontal(Array(tangents[0..<nx])), vdeP = try Matrix.horizontal(Array(tangents[nx...]))
        let forward = try Function("\(name)_expl_vde_forw", inputs: [("x", x), ("Sx", sx), ("Sp", sp), ("u", u), ("p", p)],
                                   outputs: [("f", f), ("vdeX", vdeX), ("vdeP", vdeP)])
        let adjoint = try vjp(of: f, wrt: xu, cotangent: lambda)
        let backward = try Function("\(name)_expl_vde_adj", inputs: [("x", x), ("lambdaX", lambda), ("u", u), ("p", p)], outputs: [("adj", adjoint)])
        // Sᵀ H S with H the Hessian of λᵀf in (x, u) (matrix products skip structural zeros).
        let h = try sparseHessian(of: try lambda.dot(f), wrt: xu).dense()
        let s = try Matrix.vertical([try Matrix.horizontal([sx, sp]), try Matrix.horizontal([Matrix(context, rows: nu, cols: nx), identity])])
        let projected = try s.transposed() * (h * s)
        let n = nx + nu
        let lower = try Matrix(column: (0..<n).flatMap { j in (j..<n).map { i in projected[i, j] } })
        let hessian = try Function("\(name)_expl_ode_hess", inputs: [("x", x), ("Sx", sx), ("Sp", sp), ("lambdaX", lambda), ("u", u), ("p", p)],
                                   outputs: [("adj", adjoint), ("hess", lower)])
        return [ode, forward, backward, hessian]
    }
}

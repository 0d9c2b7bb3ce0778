import DiffGenCore

// The differentiation API. Functions and variables are matrices flattened column-major, as in
// CasADi: `jacobian(of: f, wrt: x)` has one row per entry of f and one column per entry of x.
// Results are new nodes of the same graph, so derivatives of derivatives work by nesting.

/// Checks that `x` holds distinct symbols of `f`'s context.
func checkVariables(_ x: Matrix, context: ExprContext) throws {
    guard x.context === context else { throw DifferentiationError.mixedContexts }
    let graph = context.graph
    var seen = Set<NodeID>()
    for (k, id) in x.ids.enumerated() {
        guard graph.op(id) == .symbol else { throw DifferentiationError.variableNotSymbol(index: k) }
        guard seen.insert(id).inserted else { throw DifferentiationError.repeatedVariable(graph.symbolName(id)!) }
    }
}

private func column(_ ids: [NodeID?], _ context: ExprContext) -> Matrix {
    let zero = context.constant(0).id
    return Matrix(nodes: ids.map { $0 ?? zero }, rows: ids.count, cols: 1, in: context)
}

/// The Jacobian ∂f/∂x, dense (structural zeros are the constant 0); computed by the compressed
/// sweeps of `sparseJacobian`.
public func jacobian(of f: Matrix, wrt x: Matrix) throws -> Matrix {
    try sparseJacobian(of: f, wrt: x).dense()
}

/// The Jacobian of a scalar: a 1×n row.
public func jacobian(of f: Expr, wrt x: Matrix) throws -> Matrix {
    try jacobian(of: Matrix(f), wrt: x)
}

/// The gradient ∇f of a scalar, as an n×1 column (one reverse sweep).
public func gradient(of f: Expr, wrt x: Matrix) throws -> Matrix {
    try vjp(of: Matrix(f), wrt: x, cotangent: Matrix(f.context.constant(1)))
}

/// The gradient of a 1×1 matrix.
public func gradient(of f: Matrix, wrt x: Matrix) throws -> Matrix {
    guard f.count == 1 else { throw DifferentiationError.notScalar(rows: f.rows, cols: f.cols) }
    return try gradient(of: f[0], wrt: x)
}

/// The Hessian ∇²f of a scalar, dense and exactly symmetric; computed by the star-colored
/// forward-over-reverse sweeps of `sparseHessian`.
public func hessian(of f: Expr, wrt x: Matrix) throws -> Matrix {
    try sparseHessian(of: f, wrt: x).dense()
}

/// The Hessian of a 1×1 matrix.
public func hessian(of f: Matrix, wrt x: Matrix) throws -> Matrix {
    guard f.count == 1 else { throw DifferentiationError.notScalar(rows: f.rows, cols: f.cols) }
    return try hessian(of: f[0], wrt: x)
}

/// Jacobian-vector products J·v for several directions at once (one forward sweep each).
public func jvp(of f: Matrix, wrt x: Matrix, along directions: [Matrix]) throws -> [Matrix] {
    let context = f.context
    try checkVariables(x, context: context)
    for v in directions where v.count != x.count {
        throw DifferentiationError.wrongLength(what: "a direction", expected: x.count, got: v.count)
    }
    return try differentiating(context) { graph in
        var sweep = Differentiator(graph: graph, inputs: x.ids, outputs: f.ids)
        return directions.map { v in
            let tangents = sweep.forward(&graph, seeds: v.ids.map { Optional($0) })
            return tangents
        }
    }.map { column($0, context).reshapedLike(f) }
}

/// The Jacobian-vector product J·v, shaped like f.
public func jvp(of f: Matrix, wrt x: Matrix, along v: Matrix) throws -> Matrix {
    try jvp(of: f, wrt: x, along: [v])[0]
}

/// Vector-Jacobian products wᵀ·J for several cotangents at once (one reverse sweep each).
public func vjp(of f: Matrix, wrt x: Matrix, cotangents: [Matrix]) throws -> [Matrix] {
    try vjp(of: f, wrt: x, cotangents: cotangents, lazyScales: true)
}

/// `vjp` with a choice of how constant factors are handled (see `Differentiator.lazyScales`).
func vjp(of f: Matrix, wrt x: Matrix, cotangents: [Matrix], lazyScales: Bool) throws -> [Matrix] {
    let context = f.context
    try checkVariables(x, context: context)
    for w in cotangents where w.count != f.count {
        throw DifferentiationError.wrongLength(what: "a cotangent", expected: f.count, got: w.count)
    }
    return try differentiating(context) { graph in
        var sweep = Differentiator(graph: graph, inputs: x.ids, outputs: f.ids)
        sweep.lazyScales = lazyScales
        sweep.divideAdjointsDirectly = cotangents.count <= 2
        return cotangents.map { w in sweep.reverse(&graph, seeds: w.ids.map { Optional($0) }) }
    }.map { column($0, context).reshapedLike(x) }
}

/// The vector-Jacobian product wᵀ·J, shaped like x.
public func vjp(of f: Matrix, wrt x: Matrix, cotangent w: Matrix) throws -> Matrix {
    try vjp(of: f, wrt: x, cotangents: [w])[0]
}

/// The Hessian-vector product ∇²f·v (forward over reverse), shaped like x; never forms ∇²f.
public func hvp(of f: Expr, wrt x: Matrix, along v: Matrix) throws -> Matrix {
    let g = try gradient(of: f, wrt: x)
    return try jvp(of: g, wrt: x, along: v).reshapedLike(x)
}

/// The Hessian of the Lagrangian σ·f(x) + λᵀg(x) with respect to x — what NLP and MPC solvers
/// ask for. `sigma` and `lambda` are usually symbols (inputs of the generated function).
public func lagrangianHessian(objective f: Expr, constraints g: Matrix, wrt x: Matrix,
                              objectiveWeight sigma: Expr, multipliers lambda: Matrix) throws -> Matrix {
    try sparseLagrangianHessian(objective: f, constraints: g, wrt: x, objectiveWeight: sigma, multipliers: lambda).dense()
}

extension Matrix {
    /// The same entries in the shape of `other` (same count).
    fileprivate func reshapedLike(_ other: Matrix) -> Matrix {
        Matrix(nodes: ids, rows: other.rows, cols: other.cols, in: context)
    }
}

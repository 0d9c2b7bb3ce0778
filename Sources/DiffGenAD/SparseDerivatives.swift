import DiffGenCore
import DiffGenSparsity

/// The Jacobian ∂f/∂x as a sparse matrix: its structural pattern (exact for the graph), computed
/// by compressed sweeps — forward mode seeded with the sum of each column color class, or reverse
/// mode seeded per row color class: the one needing fewer sweeps, or, when the two counts are
/// within 1.5× of each other, whichever gives fewer operations. When rows and columns are both
/// dense enough that a bicoloring needs fewer sweeps than either side (arrowheads: 3 against
/// n), forward sweeps for the sparse rows and reverse sweeps for the dense ones are combined.
public func sparseJacobian(of f: Matrix, wrt x: Matrix) throws -> SparseMatrix {
    let context = f.context
    try checkVariables(x, context: context)
    let pattern = Pattern.jacobian(of: f.ids, wrt: x.ids, in: context.graph)
    let zero = context.constant(0).id
    var nonzeros = [NodeID](repeating: zero, count: pattern.nonzeroCount)
    guard pattern.nonzeroCount > 0 else { return SparseMatrix(pattern: pattern, nonzeros: nonzeros, in: context) }
    let columns = pattern.columnColoring(), rows = pattern.rowColoring()
    // Fewer sweeps usually means fewer operations, but not always (cartpole: 4 reverse sweeps
    // cost 459 operations, 5 forward ones 436). When the counts are within 1.5×, build both and keep
    // the smaller; the loser's nodes stay unreachable and are never emitted.
    let close = 2 * max(columns.count, rows.count) <= 3 * min(columns.count, rows.count)
    // Only worth a look when both one-sided colorings need many sweeps.
    if min(columns.count, rows.count) > 8, let bicolored = pattern.bicoloring(below: min(columns.count, rows.count)) {
        try differentiating(context) { graph in
            var sweep = Differentiator(graph: graph, inputs: x.ids, outputs: f.ids)
            nonzeros = bicoloredNonzeros(pattern, bicolored, m: f.count, n: x.count, &sweep, &graph, zero: zero)
        }
        return SparseMatrix(pattern: pattern, nonzeros: nonzeros, in: context)
    }
    try differentiating(context) { graph in
        var sweep = Differentiator(graph: graph, inputs: x.ids, outputs: f.ids)
        let forward = columns.count <= rows.count || close
            ? compressedForward(pattern, columns, x.count, &sweep, &graph, zero: zero) : nil
        let reverse = rows.count < columns.count || close
            ? compressedReverse(pattern, rows, f.count, &sweep, &graph, zero: zero) : nil
        switch (forward, reverse) {
        case let (forward?, reverse?):
            nonzeros = graph.operationCount(reachableFrom: forward) <= graph.operationCount(reachableFrom: reverse) ? forward : reverse
        case let (forward?, nil): nonzeros = forward
        case let (nil, reverse?): nonzeros = reverse
        case (nil, nil): break
        }
    }
    return SparseMatrix(pattern: pattern, nonzeros: nonzeros, in: context)
}

/// Nonzeros of the Jacobian from a bicoloring: each read from its forward or reverse sweep.
private func bicoloredNonzeros(_ pattern: Pattern, _ coloring: Bicoloring, m: Int, n: Int, _ sweep: inout Differentiator,
                               _ graph: inout Graph, zero: NodeID) -> [NodeID] {
    let one = graph.constant(1)
    let forward = (0..<coloring.forwardSweeps).map { color in
        sweep.forward(&graph, seeds: coloring.columnColors.map { $0 == Int32(color) ? one : nil })
    }
    sweep.divideAdjointsDirectly = coloring.reverseSweeps <= 2
    let reverse = (0..<coloring.reverseSweeps).map { color in
        sweep.reverse(&graph, seeds: coloring.rowColors.map { $0 == Int32(color) ? one : nil })
    }
    var nonzeros = [NodeID](repeating: zero, count: pattern.nonzeroCount)
    for j in 0..<pattern.cols {
        for k in Int(pattern.columnStarts[j])..<Int(pattern.columnStarts[j + 1]) {
            let i = Int(pattern.rowIndices[k])
            nonzeros[k] = (coloring.fromReverse[k] ? reverse[Int(coloring.rowColors[i])][j]
                                                   : forward[Int(coloring.columnColors[j])][i]) ?? zero
        }
    }
    return nonzeros
}

/// Nonzeros of the Jacobian from one forward sweep per column color class.
private func compressedForward(_ pattern: Pattern, _ columns: Coloring, _ n: Int, _ sweep: inout Differentiator,
                               _ graph: inout Graph, zero: NodeID) -> [NodeID] {
    var nonzeros = [NodeID](repeating: zero, count: pattern.nonzeroCount)
    let one = graph.constant(1)
    for members in columns.classes {
        var seeds = [NodeID?](repeating: nil, count: n)
        for j in members { seeds[j] = one }
        let tangents = sweep.forward(&graph, seeds: seeds)
        for j in members {
            for k in Int(pattern.columnStarts[j])..<Int(pattern.columnStarts[j + 1]) {
                nonzeros[k] = tangents[Int(pattern.rowIndices[k])] ?? zero
            }
        }
    }
    return nonzeros
}

/// Nonzeros of the Jacobian from one reverse sweep per row color class.
private func compressedReverse(_ pattern: Pattern, _ rows: Coloring, _ m: Int, _ sweep: inout Differentiator,
                               _ graph: inout Graph, zero: NodeID) -> [NodeID] {
    var nonzeros = [NodeID](repeating: zero, count: pattern.nonzeroCount)
    var byRow = [[(col: Int, k: Int)]](repeating: [], count: pattern.rows)
    for j in 0..<pattern.cols {
        for k in Int(pattern.columnStarts[j])..<Int(pattern.columnStarts[j + 1]) { byRow[Int(pattern.rowIndices[k])].append((j, k)) }
    }
    let one = graph.constant(1)
    sweep.divideAdjointsDirectly = rows.count <= 2
    for members in rows.classes {
        var seeds = [NodeID?](repeating: nil, count: m)
        for i in members { seeds[i] = one }
        let adjoints = sweep.reverse(&graph, seeds: seeds)
        for i in members { for (j, k) in byRow[i] { nonzeros[k] = adjoints[j] ?? zero } }
    }
    return nonzeros
}

/// The Hessian ∇²f as a sparse symmetric matrix (both triangles stored, each pair one node):
/// forward-over-reverse sweeps seeded by a star coloring, with direct recovery (Gebremedhin,
/// Manne, Pothen, SIAM Review 2005, §4.1): entry (i, j) is read from color class c(j) at row i
/// when j is i's only neighbour of that color, else from class c(i) at row j.
public func sparseHessian(of f: Expr, wrt x: Matrix) throws -> SparseMatrix {
    try sparseHessian(of: f, wrt: x, recovery: .star)
}

/// How a sparse Hessian is recovered from compressed sweeps.
public enum HessianRecovery: Sendable {
    /// Star coloring, direct recovery (the default).
    case star
    /// Acyclic coloring, recovery by substitution: fewer sweeps on banded patterns, but its
    /// subtractions cost more than the sweeps saved on every reference problem (rosenbrock:
    /// 9987 operations against 7991), so it is opt-in.
    case acyclic
}

/// `sparseHessian` with a chosen recovery.
public func sparseHessian(of f: Expr, wrt x: Matrix, recovery: HessianRecovery) throws -> SparseMatrix {
    let context = f.context
    let lazyGradient = try gradient(of: f, wrt: x)
    let pattern = Pattern.jacobian(of: lazyGradient.ids, wrt: x.ids, in: context.graph)
    let symmetric = pattern.union(pattern.transposed())
    let zero = context.constant(0).id
    guard symmetric.nonzeroCount > 0 else {
        return SparseMatrix(pattern: symmetric, nonzeros: [NodeID](repeating: zero, count: 0), in: context)
    }
    let star = symmetric.starColoring()
    let coloring = recovery == .star ? star : symmetric.acyclicColoring(star: star)
    func nonzeros(_ gradient: Matrix, lazyScales: Bool) throws -> [NodeID] {
        switch recovery {
        case .star: return try hessianNonzeros(gradient: gradient, wrt: x, symmetric: symmetric, coloring: coloring, lazyScales: lazyScales)
        case .acyclic: return try acyclicHessianNonzeros(gradient: gradient, wrt: x, symmetric: symmetric, coloring: coloring, lazyScales: lazyScales)
        }
    }
    // Constant factors kept aside (lazy) or multiplied in (eager): lazy wins on one sweep, eager
    // can win across many sweeps sharing scaled partials (mlp_hessian: 9468 eager, 10116 lazy;
    // rosenbrock: 7991 lazy, 9989 eager): build both and keep the one with fewer operations —
    // except for large gradients, where the second build would cost more time than it saves
    // (rosenbrock n = 10⁵: model to C in under 2 s needs it).
    let lazy = try nonzeros(lazyGradient, lazyScales: true)
    guard context.graph.operationCount(reachableFrom: lazyGradient.ids) <= 100_000 else {
        return SparseMatrix(pattern: symmetric, nonzeros: lazy, in: context)
    }
    let eagerGradient = try vjp(of: Matrix(f), wrt: x, cotangents: [Matrix(context.constant(1))], lazyScales: false)[0]
    let eager = try nonzeros(eagerGradient, lazyScales: false)
    let graph = context.graph
    let smaller = graph.operationCount(reachableFrom: lazy) <= graph.operationCount(reachableFrom: eager) ? lazy : eager
    return SparseMatrix(pattern: symmetric, nonzeros: smaller, in: context)
}

/// Rows of H·S for each color class c of `coloring` (S: the class's 0/1 seed matrix), from one
/// forward sweep over the gradient per class: `compressed[c][i]`.
private func compressedHessian(gradient g: Matrix, wrt x: Matrix, coloring: Coloring, lazyScales: Bool) throws -> [[NodeID?]] {
    var compressed: [[NodeID?]] = []
    try differentiating(x.context) { graph in
        var sweep = Differentiator(graph: graph, inputs: x.ids, outputs: g.ids)
        sweep.lazyScales = lazyScales
        let one = graph.constant(1)
        for members in coloring.classes {
            var seeds = [NodeID?](repeating: nil, count: x.count)
            for j in members { seeds[j] = one }
            compressed.append(sweep.forward(&graph, seeds: seeds))
        }
    }
    return compressed
}

/// The Hessian's nonzeros from an acyclic coloring, by substitution (Gebremedhin, Tarafdar,
/// Manne, Pothen 2007): each two-colored subgraph is a forest; a leaf u with its one remaining
/// edge (u, w) reads H(u, w) as u's compressed value for w's color less the entries already
/// recovered, which is then subtracted from w's. Diagonal entries are read directly.
private func acyclicHessianNonzeros(gradient g: Matrix, wrt x: Matrix, symmetric: Pattern, coloring: Coloring, lazyScales: Bool) throws -> [NodeID] {
    let context = x.context
    let zero = context.constant(0).id
    let compressed = try compressedHessian(gradient: g, wrt: x, coloring: coloring, lazyScales: lazyScales)
    let color = coloring.colors.map(Int.init)
    var nonzeros = [NodeID](repeating: zero, count: symmetric.nonzeroCount)
    // Edges u < w, grouped by color pair.
    var edges: [(pair: Int, u: Int, w: Int)] = []
    for w in 0..<symmetric.cols {
        for r in symmetric.rows(inColumn: w) {
            let u = Int(r)
            if u == w {
                nonzeros[symmetric.index(row: w, col: w)!] = compressed[color[w]][w] ?? zero
            } else if u < w {
                edges.append((min(color[u], color[w]) * coloring.count + max(color[u], color[w]), u, w))
            }
        }
    }
    edges.sort { ($0.pair, $0.u, $0.w) < ($1.pair, $1.u, $1.w) }
    var residual = [NodeID?](repeating: nil, count: x.count)
    var degree = [Int](repeating: 0, count: x.count)
    var incident = [[Int]](repeating: [], count: x.count)  // edge indices per vertex, this pair
    var recovered = [Bool](repeating: false, count: edges.count)
    try differentiating(context) { graph in
        var start = 0
        while start < edges.count {
            var end = start
            while end < edges.count && edges[end].pair == edges[start].pair { end += 1 }
            var vertices: [Int] = []
            for e in start..<end {
                for v in [edges[e].u, edges[e].w] {
                    if incident[v].isEmpty { vertices.append(v) }
                    incident[v].append(e)
                    degree[v] += 1
                }
            }
            func other(_ v: Int, _ e: Int) -> Int { edges[e].u == v ? edges[e].w : edges[e].u }
            for v in vertices {
                // v's compressed value for the pair's other color.
                residual[v] = compressed[color[other(v, incident[v][0])]][v] ?? zero
            }
            var leaves = vertices.filter { degree[$0] == 1 }
            while let v = leaves.popLast() {
                guard degree[v] == 1, let e = incident[v].first(where: { !recovered[$0] }) else { continue }
                let w = other(v, e)
                let value = residual[v]!
                recovered[e] = true
                nonzeros[symmetric.index(row: v, col: w)!] = value
                nonzeros[symmetric.index(row: w, col: v)!] = value
                degree[v] = 0
                degree[w] -= 1
                residual[w] = graph.make(.sub, residual[w]!, value)
                if degree[w] == 1 { leaves.append(w) }
            }
            for v in vertices {
                incident[v].removeAll(keepingCapacity: true)
                degree[v] = 0
                residual[v] = nil
            }
            start = end
        }
    }
    return nonzeros
}

/// The nonzeros of the symmetric Hessian pattern from star-colored forward sweeps over `g`.
private func hessianNonzeros(gradient g: Matrix, wrt x: Matrix, symmetric: Pattern, coloring: Coloring, lazyScales: Bool) throws -> [NodeID] {
    let context = x.context
    let zero = context.constant(0).id
    var nonzeros = [NodeID](repeating: zero, count: symmetric.nonzeroCount)
    let n = x.count
    // compressed[c][i]: row i of the sweep seeded with color class c.
    let compressed = try compressedHessian(gradient: g, wrt: x, coloring: coloring, lazyScales: lazyScales)
    let color = coloring.colors.map(Int.init)
    var colorCount = [Int](repeating: 0, count: coloring.count)
    for i in 0..<n {
        // How many neighbours of i have each color (i itself excluded).
        let neighbours = symmetric.rows(inColumn: i).filter { Int($0) != i }
        for j in neighbours { colorCount[color[Int(j)]] += 1 }
        for k in Int(symmetric.columnStarts[i])..<Int(symmetric.columnStarts[i + 1]) {
            let j = Int(symmetric.rowIndices[k])  // entry (j, i); by symmetry also (i, j)
            guard j >= i else { continue }        // fill the lower triangle, mirror below
            let value: NodeID?
            if j == i || colorCount[color[j]] == 1 {
                value = compressed[color[j]][i]
            } else {
                value = compressed[color[i]][j]
            }
            nonzeros[k] = value ?? zero
            if j != i, let mirror = symmetric.index(row: i, col: j) { nonzeros[mirror] = value ?? zero }
        }
        for j in neighbours { colorCount[color[Int(j)]] -= 1 }
    }
    return nonzeros
}

/// The Lagrangian Hessian ∇²ₓ(σ·f + λᵀg) as a sparse symmetric matrix.
public func sparseLagrangianHessian(objective f: Expr, constraints g: Matrix, wrt x: Matrix,
                                    objectiveWeight sigma: Expr, multipliers lambda: Matrix) throws -> SparseMatrix {
    guard lambda.count == g.count else {
        throw DifferentiationError.wrongLength(what: "the multipliers", expected: g.count, got: lambda.count)
    }
    let lagrangian = sigma * f + (g.count > 0 ? try lambda.dot(g) : f.context.constant(0))
    return try sparseHessian(of: lagrangian, wrt: x)
}

import DiffGenCore

extension Pattern {
    /// The structural sparsity of ∇²f for a scalar `output`, by nonlinear-interaction propagation
    /// (Walther, "Computing sparse Hessians with automatic differentiation", ACM TOMS 34(1), 2008):
    /// every node with a nonzero second-order local partial couples the index domains (the inputs
    /// it depends on) of its operands. Independent of the AD sweeps, so tests can cross-check them.
    ///
    /// Index domains are built only for nodes that feed a nonlinear op, directly or through linear
    /// ones, so a long running sum (linear) costs nothing. Symmetric result, both triangles.
    /// - Complexity: O(Σ domain sizes + Σ interaction pairs), iterative.
    public static func hessian(of output: NodeID, wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        let n = inputs.count
        let top = output.index + 1
        let needed = graph.reachable(from: [output])
        var column = [Int32](repeating: -1, count: top)
        for (k, input) in inputs.enumerated() where input.index < top { column[input.index] = Int32(k) }
        // Which nodes need an index domain: operands of nonlinear nodes, and (transitively) the
        // derivative-carrying operands of nodes that need one.
        var wantsDomain = [Bool](repeating: false, count: top)
        for index in stride(from: top - 1, through: 0, by: -1) where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            guard wantsDomain[index] || couples(op) else { continue }
            for k in 0..<op.operandCount where op.carriesDerivative(fromOperand: k) {
                wantsDomain[graph.operand(k, of: id).index] = true
            }
        }
        var domain = [[Int32]](repeating: [], count: top)
        var pairs = Set<Int64>()
        func couple(_ a: [Int32], _ b: [Int32]) {
            for i in a { for j in b { pairs.insert(Int64(min(i, j)) << 32 | Int64(max(i, j))) } }
        }
        for index in 0..<top where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            if column[index] >= 0 {
                domain[index] = [column[index]]
                continue
            }
            let operands = (0..<op.operandCount).filter { op.carriesDerivative(fromOperand: $0) }.map { graph.operand($0, of: id).index }
            if couples(op) {
                switch op {
                case .mul:
                    // x·y: ∂²/∂x∂y = 1, ∂²/∂x² = ∂²/∂y² = 0.
                    couple(domain[operands[0]], domain[operands[1]])
                case .div:
                    // x/y: cross terms and y's own curvature, nothing in x alone.
                    couple(domain[operands[0]], domain[operands[1]])
                    couple(domain[operands[1]], domain[operands[1]])
                default:
                    let all = union(operands.map { domain[$0] })
                    couple(all, all)
                }
            }
            if wantsDomain[index] && op.carriesDerivative { domain[index] = union(operands.map { domain[$0] }) }
        }
        var entries: [(row: Int, col: Int)] = []
        for pair in pairs.sorted() {
            let (i, j) = (Int(pair >> 32), Int(pair & 0xFFFF_FFFF))
            entries.append((i, j))
            if i != j { entries.append((j, i)) }
        }
        return Pattern(rows: n, cols: n, entries: entries)
    }

    /// Ops with a nonzero second-order partial somewhere (piecewise-linear ops have none).
    private static func couples(_ op: Op) -> Bool {
        switch op {
        case .mul, .div, .pow, .powi, .sq, .sqrt, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .atan2,
             .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .hypot, .erf:
            return true
        case .constant, .symbol, .add, .sub, .neg, .abs, .sign, .copysign, .floor, .ceil, .fmod, .fmin, .fmax,
             .lt, .le, .eq, .ne, .and, .or, .not, .ifElse:
            return false
        }
    }

    private static func union(_ sets: [[Int32]]) -> [Int32] {
        Array(Set(sets.joined())).sorted()
    }
}

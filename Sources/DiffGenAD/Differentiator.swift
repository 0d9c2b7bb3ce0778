import DiffGenCore

/// Forward and reverse sweeps between fixed inputs and outputs of one graph.
///
/// Only *active* nodes are visited: those that depend differentiably on an input and that an
/// output depends on. Tangents and adjoints live in side arrays indexed by node id; a structural
/// zero is `nil` and creates no node. Both sweeps are loops over ascending or descending ids —
/// never recursion — so a 10⁶-deep chain differentiates without touching the stack depth.
///
/// `ifElse(c, a, b)` gets no partials: tangents and adjoints go to the chosen branch only
/// (`ifElse(c, ȧ, ḃ)`; `ā += ifElse(c, w̄, 0)`), and a masked adjoint `ifElse(c, v, 0)` stays
/// masked through products and sums, so a NaN or Inf partial inside the branch not taken
/// (`sqrt'(x)` at x < 0 in `ifElse(x > 0, sqrt(x), 0)`) never reaches the result.
struct Differentiator {
    let inputs: [NodeID]
    let outputs: [NodeID]
    /// Active node ids, ascending.
    private(set) var active: [Int32] = []
    private var scratch: [Int32]
    private var touched: [Int32] = []

    init(graph: Graph, inputs: [NodeID], outputs: [NodeID]) {
        self.inputs = inputs
        self.outputs = outputs
        let top = (outputs.max()?.index ?? -1) + 1
        scratch = [Int32](repeating: -1, count: top)
        guard top > 0, let lowest = inputs.min()?.index, lowest < top else { return }
        var varies = [Bool](repeating: false, count: top)
        for input in inputs where input.index < top { varies[input.index] = true }
        for index in (lowest + 1)..<top {
            let id = NodeID(index)
            let op = graph.op(id)
            guard Differentiator.propagates(op) else { continue }
            let first = op == .ifElse ? 1 : 0  // the condition carries no derivative
            for k in first..<op.operandCount where varies[graph.operand(k, of: id).index] {
                varies[index] = true
                break
            }
        }
        let needed = graph.reachable(from: outputs)
        for index in lowest..<top where varies[index] && needed[index] { active.append(Int32(index)) }
    }

    /// Ops whose value can carry a derivative from their operands.
    static func propagates(_ op: Op) -> Bool {
        switch op {
        case .constant, .symbol, .sign, .floor, .ceil, .lt, .le, .eq, .ne, .and, .or, .not: return false
        case .add, .sub, .mul, .div, .neg, .pow, .powi, .sq, .sqrt, .exp, .log, .sin, .cos, .tan,
             .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .abs,
             .copysign, .fmod, .fmin, .fmax, .hypot, .erf, .ifElse:
            return true
        }
    }

    private mutating func get(_ id: NodeID) -> NodeID? {
        let value = scratch[id.index]
        return value < 0 ? nil : NodeID(value)
    }

    private mutating func set(_ id: NodeID, _ value: NodeID?) {
        if scratch[id.index] < 0 { touched.append(id.raw) }
        scratch[id.index] = value?.raw ?? -1
    }

    private mutating func reset() {
        for index in touched { scratch[Int(index)] = -1 }
        touched.removeAll(keepingCapacity: true)
    }

    /// Forward mode: the tangents of the outputs when the inputs move along `seeds`
    /// (one entry per input; `nil` for a zero component).
    mutating func forward(_ graph: inout Graph, seeds: [NodeID?]) -> [NodeID?] {
        defer { reset() }
        for (input, seed) in zip(inputs, seeds) where input.index < scratch.count {
            set(input, seed.flatMap { graph.constantValue($0) == 0 ? nil : $0 })
        }
        let inputSet = Set(inputs.map(\.raw))
        for raw in active where !inputSet.contains(raw) {
            let id = NodeID(raw)
            set(id, tangent(of: id, in: &graph))
        }
        return outputs.map { get($0) }
    }

    private mutating func tangent(of id: NodeID, in graph: inout Graph) -> NodeID? {
        if let (c, a, b) = selection(id, &graph) {
            let (ta, tb) = (get(a), get(b))
            if ta == nil && tb == nil { return nil }
            return graph.ifElse(c, ta ?? graph.constant(0), tb ?? graph.constant(0))
        }
        let op = graph.op(id)
        var total: NodeID? = nil
        var tangents: (NodeID?, NodeID?, NodeID?) = (nil, nil, nil)
        for k in 0..<op.operandCount {
            let t = get(graph.operand(k, of: id))
            switch k {
            case 0: tangents.0 = t
            case 1: tangents.1 = t
            default: tangents.2 = t
            }
        }
        let partials = graph.partials(of: id) { k in
            k == 0 ? tangents.0 != nil : (k == 1 ? tangents.1 != nil : tangents.2 != nil)
        }
        for k in 0..<op.operandCount {
            guard let t = k == 0 ? tangents.0 : (k == 1 ? tangents.1 : tangents.2), let p = partials[k] else { continue }
            let term = product(p, t, &graph)
            total = total.map { graph.make(.add, $0, term) } ?? term
        }
        return total
    }

    /// Reverse mode: the adjoints of the inputs for output adjoints `seeds`
    /// (one entry per output; `nil` for a zero component).
    mutating func reverse(_ graph: inout Graph, seeds: [NodeID?]) -> [NodeID?] {
        defer { reset() }
        for (output, seed) in zip(outputs, seeds) {
            guard let seed, graph.constantValue(seed) != 0 else { continue }
            set(output, accumulate(get(output), seed, &graph))
        }
        let inputSet = Set(inputs.map(\.raw))
        for raw in active.reversed() where !inputSet.contains(raw) {
            let id = NodeID(raw)
            guard let adjoint = get(id) else { continue }
            let op = graph.op(id)
            if let (c, a, b) = selection(id, &graph) {
                let zero = graph.constant(0)
                if isActive(a) { set(a, accumulate(get(a), graph.ifElse(c, adjoint, zero), &graph)) }
                if isActive(b) { set(b, accumulate(get(b), graph.ifElse(c, zero, adjoint), &graph)) }
                continue
            }
            let count = op.operandCount
            let want = (isActive(graph.operand(0, of: id)),
                        count > 1 && isActive(graph.operand(1, of: id)),
                        count > 2 && isActive(graph.operand(2, of: id)))
            let partials = graph.partials(of: id) { k in k == 0 ? want.0 : (k == 1 ? want.1 : want.2) }
            for k in 0..<op.operandCount {
                let operand = graph.operand(k, of: id)
                guard isActive(operand), let p = partials[k] else { continue }
                set(operand, accumulate(get(operand), product(p, adjoint, &graph), &graph))
            }
        }
        return inputs.map { $0.index < scratch.count ? get($0) : nil }
    }

    /// For ops that pick one operand — `ifElse(c, a, b)`, `fmin`, `fmax` — the condition under
    /// which the first is picked and the two candidates. Derivatives follow the pick only, so a
    /// NaN derivative of the candidate not picked cannot leak in as 0·NaN.
    /// Ties: `fmin(x, y)` picks x when x <= y, `fmax(x, y)` when x >= y; a NaN y loses.
    private func selection(_ id: NodeID, _ graph: inout Graph) -> (NodeID, NodeID, NodeID)? {
        let op = graph.op(id)
        switch op {
        case .ifElse:
            return (graph.operand(0, of: id), graph.operand(1, of: id), graph.operand(2, of: id))
        case .fmin, .fmax:
            // C's fmin/fmax return the other operand when one is NaN: x is picked when it wins
            // the comparison or y is NaN.
            let (x, y) = (graph.operand(0, of: id), graph.operand(1, of: id))
            let wins = op == .fmin ? graph.make(.le, x, y) : graph.make(.le, y, x)
            return (graph.make(.or, wins, graph.make(.ne, y, y)), x, y)
        default:
            return nil
        }
    }

    private func isActive(_ id: NodeID) -> Bool {
        // `active` is sorted: binary search.
        var (lo, hi) = (0, active.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if active[mid] < id.raw { lo = mid + 1 } else { hi = mid }
        }
        return lo < active.count && active[lo] == id.raw
    }

    /// `p · t`, keeping a mask `ifElse(c, v, 0)` on the outside so the product is exactly 0
    /// where the mask is off, whatever `p` is there.
    private func product(_ p: NodeID, _ t: NodeID, _ graph: inout Graph) -> NodeID {
        if let (c, v, thenSide) = mask(t, graph) {
            let inner = graph.make(.mul, p, v)
            let zero = graph.constant(0)
            return thenSide ? graph.ifElse(c, inner, zero) : graph.ifElse(c, zero, inner)
        }
        return graph.make(.mul, p, t)
    }

    /// `a + b`, merging two masks on the same condition into one.
    private func accumulate(_ a: NodeID?, _ b: NodeID, _ graph: inout Graph) -> NodeID {
        guard let a else { return b }
        if let (ca, va, sa) = mask(a, graph), let (cb, vb, sb) = mask(b, graph), ca == cb, sa == sb {
            let zero = graph.constant(0)
            let sum = graph.make(.add, va, vb)
            return sa ? graph.ifElse(ca, sum, zero) : graph.ifElse(ca, zero, sum)
        }
        return graph.make(.add, a, b)
    }

    /// `(c, v, true)` for `ifElse(c, v, 0)`, `(c, v, false)` for `ifElse(c, 0, v)`.
    private func mask(_ id: NodeID, _ graph: Graph) -> (NodeID, NodeID, Bool)? {
        guard graph.op(id) == .ifElse else { return nil }
        let (c, a, b) = (graph.operand(0, of: id), graph.operand(1, of: id), graph.operand(2, of: id))
        if graph.constantValue(b) == 0 { return (c, a, true) }
        if graph.constantValue(a) == 0 { return (c, b, false) }
        return nil
    }
}

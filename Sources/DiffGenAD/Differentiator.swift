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
/// A tangent or adjoint as a node and a sign: the value is `negative ? −node : node`. Keeping the
/// sign aside lets −1 partials cost nothing and turns sums of opposite signs into subtractions.
struct Signed {
    var node: NodeID
    var negative: Bool

    func materialized(_ graph: inout Graph) -> NodeID {
        negative ? graph.make(.neg, node) : node
    }
}

struct Differentiator {
    let inputs: [NodeID]
    let outputs: [NodeID]
    /// Active node ids, ascending.
    private(set) var active: [Int32] = []
    /// Whether each node below the largest output is one of the inputs (their tangents are seeds).
    private var isInput: [Bool]
    private var scratch: [Int32]
    /// Sign of each stored tangent or adjoint: the value is −node where set.
    private var negative: [Bool]
    private var touched: [Int32] = []

    init(graph: Graph, inputs: [NodeID], outputs: [NodeID]) {
        self.inputs = inputs
        self.outputs = outputs
        let top = (outputs.max()?.index ?? -1) + 1
        scratch = [Int32](repeating: -1, count: top)
        negative = [Bool](repeating: false, count: top)
        isInput = [Bool](repeating: false, count: top)
        for input in inputs where input.index < top { isInput[input.index] = true }
        guard top > 0, let lowest = inputs.min()?.index, lowest < top else { return }
        var varies = [Bool](repeating: false, count: top)
        for input in inputs where input.index < top { varies[input.index] = true }
        for index in (lowest + 1)..<top {
            let id = NodeID(index)
            let op = graph.op(id)
            for k in 0..<op.operandCount where op.carriesDerivative(fromOperand: k) && varies[graph.operand(k, of: id).index] {
                varies[index] = true
                break
            }
        }
        let needed = graph.reachable(from: outputs)
        for index in lowest..<top where varies[index] && needed[index] { active.append(Int32(index)) }
    }

    private func get(_ id: NodeID) -> Signed? {
        let value = scratch[id.index]
        return value < 0 ? nil : Signed(node: NodeID(value), negative: negative[id.index])
    }

    private mutating func set(_ id: NodeID, _ value: Signed?) {
        if scratch[id.index] < 0 { touched.append(id.raw) }
        scratch[id.index] = value?.node.raw ?? -1
        negative[id.index] = value?.negative ?? false
    }

    private mutating func reset() {
        for index in touched {
            scratch[Int(index)] = -1
            negative[Int(index)] = false
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// Forward mode: the tangents of the outputs when the inputs move along `seeds`
    /// (one entry per input; `nil` for a zero component).
    mutating func forward(_ graph: inout Graph, seeds: [NodeID?]) -> [NodeID?] {
        defer { reset() }
        for (input, seed) in zip(inputs, seeds) where input.index < scratch.count {
            set(input, seed.flatMap { graph.constantValue($0) == 0 ? nil : Signed(node: $0, negative: false) })
        }
        for raw in active where !isInput[Int(raw)] {
            let id = NodeID(raw)
            set(id, tangent(of: id, in: &graph))
        }
        return outputs.map { get($0).map { $0.materialized(&graph) } }
    }

    private mutating func tangent(of id: NodeID, in graph: inout Graph) -> Signed? {
        if let (c, a, b) = selection(id, &graph) {
            let (ta, tb) = (get(a), get(b))
            if ta == nil && tb == nil { return nil }
            let zero = graph.constant(0)
            let chosen = graph.ifElse(c, ta?.materialized(&graph) ?? zero, tb?.materialized(&graph) ?? zero)
            return Signed(node: chosen, negative: false)
        }
        let op = graph.op(id)
        var total: Signed? = nil
        var tangents: (Signed?, Signed?, Signed?) = (nil, nil, nil)
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
            total = total.map { accumulate($0, term, &graph) } ?? term
        }
        return total
    }

    /// Reverse mode: the adjoints of the inputs for output adjoints `seeds`
    /// (one entry per output; `nil` for a zero component).
    mutating func reverse(_ graph: inout Graph, seeds: [NodeID?]) -> [NodeID?] {
        defer { reset() }
        for (output, seed) in zip(outputs, seeds) {
            guard let seed, graph.constantValue(seed) != 0 else { continue }
            let signed = Signed(node: seed, negative: false)
            set(output, get(output).map { accumulate($0, signed, &graph) } ?? signed)
        }
        for raw in active.reversed() where !isInput[Int(raw)] {
            let id = NodeID(raw)
            guard let adjoint = get(id) else { continue }
            let op = graph.op(id)
            if let (c, a, b) = selection(id, &graph) {
                let zero = graph.constant(0)
                if isActive(a) {
                    let routed = Signed(node: graph.ifElse(c, adjoint.node, zero), negative: adjoint.negative)
                    set(a, get(a).map { accumulate($0, routed, &graph) } ?? routed)
                }
                if isActive(b) {
                    let routed = Signed(node: graph.ifElse(c, zero, adjoint.node), negative: adjoint.negative)
                    set(b, get(b).map { accumulate($0, routed, &graph) } ?? routed)
                }
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
                let term = product(p, adjoint, &graph)
                set(operand, get(operand).map { accumulate($0, term, &graph) } ?? term)
            }
        }
        return inputs.map { $0.index < scratch.count ? get($0)?.materialized(&graph) : nil }
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

    /// `p · t`. The sign of `p` moves into the result's sign bit (a −1 partial costs nothing,
    /// `neg(q)` contributes q), and a mask `ifElse(c, v, 0)` on `t` stays outside, so the product is
    /// exactly 0 where the mask is off, whatever `p` is there.
    private func product(_ p: NodeID, _ t: Signed, _ graph: inout Graph) -> Signed {
        var (factor, negative) = (p, t.negative)
        if let c = graph.constantValue(p), c < 0 {
            factor = graph.constant(-c)
            negative.toggle()
        } else if graph.op(p) == .neg {
            factor = graph.operand(0, of: p)
            negative.toggle()
        }
        if graph.constantValue(factor) == 1 { return Signed(node: t.node, negative: negative) }
        if let (c, v, thenSide) = mask(t.node, graph) {
            let inner = Differentiator.scaledProduct(factor, v, &graph)
            let zero = graph.constant(0)
            let masked = thenSide ? graph.ifElse(c, inner, zero) : graph.ifElse(c, zero, inner)
            return Signed(node: masked, negative: negative)
        }
        return Signed(node: Differentiator.scaledProduct(factor, t.node, &graph), negative: negative)
    }

    /// `p · t`, folding constant factors: `c₁ · (c₂ · y)` becomes `(c₁c₂) · y`. A derivative's
    /// formula is ours to choose, so reassociating constants here is fair (the graph itself never
    /// reassociates what a user wrote); it saves one multiplication per entry of, e.g., ∇(q·x²).
    static func scaledProduct(_ p: NodeID, _ t: NodeID, _ graph: inout Graph) -> NodeID {
        func split(_ id: NodeID) -> (Double, NodeID)? {
            guard graph.op(id) == .mul else { return nil }
            let (a, b) = (graph.operand(0, of: id), graph.operand(1, of: id))
            if let c = graph.constantValue(a) { return (c, b) }
            if let c = graph.constantValue(b) { return (c, a) }
            return nil
        }
        if let c = graph.constantValue(t), let (c2, y) = split(p), (c * c2).isFinite, c * c2 != 0 {
            return graph.make(.mul, graph.constant(c * c2), y)
        }
        if let c = graph.constantValue(p), let (c2, y) = split(t), (c * c2).isFinite, c * c2 != 0 {
            return graph.make(.mul, graph.constant(c * c2), y)
        }
        return graph.make(.mul, p, t)
    }

    /// `a + b`: a sum when the signs agree, a difference when they do not; two masks on the same
    /// condition merge into one.
    private func accumulate(_ a: Signed, _ b: Signed, _ graph: inout Graph) -> Signed {
        if a.negative == b.negative {
            if let (ca, va, sa) = mask(a.node, graph), let (cb, vb, sb) = mask(b.node, graph), ca == cb, sa == sb {
                let zero = graph.constant(0)
                let sum = graph.make(.add, va, vb)
                return Signed(node: sa ? graph.ifElse(ca, sum, zero) : graph.ifElse(ca, zero, sum), negative: a.negative)
            }
            return Signed(node: graph.make(.add, a.node, b.node), negative: a.negative)
        }
        let (plus, minus) = a.negative ? (b.node, a.node) : (a.node, b.node)
        return Signed(node: graph.make(.sub, plus, minus), negative: false)
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

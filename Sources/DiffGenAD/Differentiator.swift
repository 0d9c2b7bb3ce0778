import DiffGenCore

/// A tangent or adjoint as a node and a constant factor: the value is `scale · node`. Keeping
/// constant factors aside until a sum or an output needs them lets −1 partials cost nothing,
/// turns sums of opposite signs into subtractions, and carries constants such as sq's 2 or a
/// model's 0.05 through products (`0.05 · (2x · ẋ)` becomes one product, `x · ẋ`, scaled by 0.1).
struct Scaled {
    var node: NodeID
    var scale: Double

    init(node: NodeID, scale: Double = 1) {
        self.node = node
        self.scale = scale
    }

    func materialized(_ graph: inout Graph) -> NodeID {
        if scale == 1 { return node }
        if scale == -1 { return graph.make(.neg, node) }
        return graph.make(.mul, graph.constant(scale), node)
    }
}

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
    /// Whether each node below the largest output is active.
    private var activeFlags: [Bool] = []
    /// Whether each node below the largest output is one of the inputs (their tangents are seeds).
    private var isInput: [Bool]
    private var scratch: [Int32]
    /// Constant factor of each stored tangent or adjoint (the value is scale · node).
    private var scales: [Double]
    private var touched: [Int32] = []
    /// Partials per node and operand across sweeps: −2 not computed, −1 structural zero.
    private var partialCache: [Int32] = []
    /// Whether constant factors stay aside (see `Scaled`) or are multiplied in at once (signs
    /// still stay aside). Lazy scales save operations in one sweep but can cost some across
    /// many sweeps of the same graph, where an eagerly scaled partial is shared by all of them.
    var lazyScales = true
    /// Whether reverse sweeps divide adjoints by a divisor directly (see `reverseDivision`):
    /// fewer operations, but one division per sweep instead of two shared ones, so only for
    /// a sweep or two over the same graph.
    var divideAdjointsDirectly = true

    init(graph: Graph, inputs: [NodeID], outputs: [NodeID]) {
        self.inputs = inputs
        self.outputs = outputs
        let top = (outputs.max()?.index ?? -1) + 1
        scratch = [Int32](repeating: -1, count: top)
        scales = [Double](repeating: 1, count: top)
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
        activeFlags = [Bool](repeating: false, count: top)
        for index in lowest..<top where varies[index] && needed[index] {
            active.append(Int32(index))
            activeFlags[index] = true
        }
    }

    private func get(_ id: NodeID) -> Scaled? {
        let value = scratch[id.index]
        return value < 0 ? nil : Scaled(node: NodeID(value), scale: scales[id.index])
    }

    private mutating func set(_ id: NodeID, _ value: Scaled?) {
        if scratch[id.index] < 0 { touched.append(id.raw) }
        scratch[id.index] = value?.node.raw ?? -1
        scales[id.index] = value?.scale ?? 1
    }

    private mutating func reset() {
        for index in touched {
            scratch[Int(index)] = -1
            scales[Int(index)] = 1
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// Forward mode: the tangents of the outputs when the inputs move along `seeds`
    /// (one entry per input; `nil` for a zero component).
    mutating func forward(_ graph: inout Graph, seeds: [NodeID?]) -> [NodeID?] {
        defer { reset() }
        graph.reserveCapacity(forAdding: active.count)
        for (input, seed) in zip(inputs, seeds) where input.index < scratch.count {
            set(input, seed.flatMap { graph.constantValue($0) == 0 ? nil : Scaled(node: $0) })
        }
        for raw in active where !isInput[Int(raw)] {
            let id = NodeID(raw)
            set(id, tangent(of: id, in: &graph))
        }
        return outputs.map { get($0).map { $0.materialized(&graph) } }
    }

    private mutating func tangent(of id: NodeID, in graph: inout Graph) -> Scaled? {
        // No operand moves: nothing to build (and no selection condition for fmin/fmax either).
        let count = graph.op(id).operandCount
        var moves = false
        for k in 0..<count where get(graph.operand(k, of: id)) != nil { moves = true }
        if !moves { return nil }
        if let (c, a, b) = selection(id, &graph) {
            let (ta, tb) = (get(a), get(b))
            if ta == nil && tb == nil { return nil }
            let zero = graph.constant(0)
            let chosen = graph.ifElse(c, ta?.materialized(&graph) ?? zero, tb?.materialized(&graph) ?? zero)
            return Scaled(node: chosen)
        }
        let op = graph.op(id)
        var total: Scaled? = nil
        var tangents: (Scaled?, Scaled?, Scaled?) = (nil, nil, nil)
        for k in 0..<op.operandCount {
            let t = get(graph.operand(k, of: id))
            switch k {
            case 0: tangents.0 = t
            case 1: tangents.1 = t
            default: tangents.2 = t
            }
        }
        let partials = cachedPartials(of: id, &graph) { k in
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
        graph.reserveCapacity(forAdding: 3 * active.count)
        for (output, seed) in zip(outputs, seeds) {
            guard let seed, graph.constantValue(seed) != 0 else { continue }
            let signed = Scaled(node: seed)
            set(output, get(output).map { accumulate($0, signed, &graph) } ?? signed)
        }
        for raw in active.reversed() where !isInput[Int(raw)] {
            let id = NodeID(raw)
            guard let adjoint = get(id) else { continue }
            let op = graph.op(id)
            if let (c, a, b) = selection(id, &graph) {
                let zero = graph.constant(0)
                if isActive(a) {
                    let routed = Scaled(node: graph.ifElse(c, adjoint.node, zero), scale: adjoint.scale)
                    set(a, get(a).map { accumulate($0, routed, &graph) } ?? routed)
                }
                if isActive(b) {
                    let routed = Scaled(node: graph.ifElse(c, zero, adjoint.node), scale: adjoint.scale)
                    set(b, get(b).map { accumulate($0, routed, &graph) } ?? routed)
                }
                continue
            }
            if op == .div, divideAdjointsDirectly, reverseDivision(id, adjoint, &graph) { continue }
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

    /// The adjoint of `z = x / y` for a variable `y` and an active `x` as `t = z̄ / y`, `x̄ += t`,
    /// `ȳ −= t · z`: two operations, against four along the partials (`1/y`, `z/y` and a product
    /// with each). Not for a constant adjoint (the partials then fold it away) nor a masked one,
    /// whose zeros must stay exact (`0 / y` is NaN where y is 0).
    private mutating func reverseDivision(_ id: NodeID, _ adjoint: Scaled, _ graph: inout Graph) -> Bool {
        let (x, y) = (graph.operand(0, of: id), graph.operand(1, of: id))
        guard isActive(x), graph.constantValue(y) == nil, graph.constantValue(adjoint.node) == nil,
              mask(adjoint.node, graph) == nil else { return false }
        let t = Scaled(node: graph.make(.div, adjoint.node, y), scale: adjoint.scale)
        set(x, get(x).map { accumulate($0, t, &graph) } ?? t)
        if isActive(y) {
            let term = Scaled(node: graph.make(.mul, t.node, id), scale: -t.scale)
            set(y, get(y).map { accumulate($0, term, &graph) } ?? term)
        }
        return true
    }

    /// `graph.partials(of:wanted:)`, remembered per node across the sweeps of this
    /// differentiator (compressed Jacobians and Hessians sweep the same graph many times; the
    /// hash-consing would find the nodes again, at the price of hashing them again).
    private mutating func cachedPartials(of id: NodeID, _ graph: inout Graph, wanted: (Int) -> Bool) -> Partials {
        if partialCache.isEmpty { partialCache = [Int32](repeating: -2, count: 3 * scratch.count) }
        let base = 3 * id.index
        var missing = false
        for k in 0..<graph.op(id).operandCount where wanted(k) && partialCache[base + k] == -2 { missing = true }
        if missing {
            // Compute what is wanted now and not cached; keep earlier results.
            let fresh = graph.partials(of: id) { k in wanted(k) && partialCache[base + k] == -2 }
            for k in 0..<graph.op(id).operandCount where wanted(k) && partialCache[base + k] == -2 {
                partialCache[base + k] = fresh[k]?.raw ?? -1
            }
        }
        func cached(_ k: Int) -> NodeID? {
            let raw = partialCache[base + k]
            return raw >= 0 && wanted(k) ? NodeID(raw) : nil
        }
        return Partials(d0: cached(0), d1: cached(1), d2: cached(2))
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
        id.index < activeFlags.count && activeFlags[id.index]
    }

    /// `p · t`. Constant factors of `p` move into the result's scale (a −1 partial costs nothing,
    /// `neg(q)` and `c · q` contribute q), and a mask `ifElse(c, v, 0)` on `t` stays outside, so
    /// the product is exactly 0 where the mask is off, whatever `p` is there. Reassociating
    /// constants is fair here: a derivative's formula is ours to choose (the graph itself never
    /// reassociates what a user wrote).
    private func product(_ p: NodeID, _ t: Scaled, _ graph: inout Graph) -> Scaled {
        lazyScales ? lazyProduct(p, t, &graph) : eagerProduct(p, t, &graph)
    }

    /// `p · t` with constants multiplied in at once, folded with a constant factor of the other
    /// side (`c₁ · (c₂ · y)` becomes `(c₁c₂) · y`); only a sign stays aside.
    private func eagerProduct(_ p: NodeID, _ t: Scaled, _ graph: inout Graph) -> Scaled {
        var (factor, scale) = (p, t.scale)
        if let c = graph.constantValue(p), c < 0 {
            factor = graph.constant(-c)
            scale = -scale
        } else if graph.op(p) == .neg {
            factor = graph.operand(0, of: p)
            scale = -scale
        }
        if graph.constantValue(factor) == 1 { return Scaled(node: t.node, scale: scale) }
        func folded(_ p: NodeID, _ t: NodeID) -> NodeID {
            if let c = graph.constantValue(t), let (c2, y) = constantFactor(p, graph), (c * c2).isNormal {
                return graph.make(.mul, graph.constant(c * c2), y)
            }
            if let c = graph.constantValue(p), let (c2, y) = constantFactor(t, graph), (c * c2).isNormal {
                return graph.make(.mul, graph.constant(c * c2), y)
            }
            return graph.make(.mul, p, t)
        }
        if let (c, v, thenSide) = mask(t.node, graph) {
            let inner = folded(factor, v)
            let zero = graph.constant(0)
            return Scaled(node: thenSide ? graph.ifElse(c, inner, zero) : graph.ifElse(c, zero, inner), scale: scale)
        }
        return Scaled(node: folded(factor, t.node), scale: scale)
    }

    private func lazyProduct(_ p: NodeID, _ t: Scaled, _ graph: inout Graph) -> Scaled {
        var (factor, scale) = (p, t.scale)
        while true {
            if graph.op(factor) == .neg {
                factor = graph.operand(0, of: factor)
                scale = -scale
            } else if graph.op(factor) == .mul, let (c, rest) = constantFactor(factor, graph), (scale * c).isNormal {
                factor = rest
                scale *= c
            } else {
                break
            }
        }
        if let c = graph.constantValue(factor), (scale * c).isNormal {
            return Scaled(node: t.node, scale: scale * c)
        }
        var node = t.node
        if let (c, rest) = constantFactor(node, graph), (scale * c).isNormal {
            node = rest
            scale *= c
        }
        if let (c, v, thenSide) = mask(node, graph) {
            let inner = graph.make(.mul, factor, v)
            let zero = graph.constant(0)
            let masked = thenSide ? graph.ifElse(c, inner, zero) : graph.ifElse(c, zero, inner)
            return Scaled(node: masked, scale: scale)
        }
        return Scaled(node: graph.make(.mul, factor, node), scale: scale)
    }

    /// `(c, y)` for `c · y` or `y · c` with a constant c.
    private func constantFactor(_ id: NodeID, _ graph: Graph) -> (Double, NodeID)? {
        guard graph.op(id) == .mul else { return nil }
        let (a, b) = (graph.operand(0, of: id), graph.operand(1, of: id))
        if let c = graph.constantValue(a) { return (c, b) }
        if let c = graph.constantValue(b) { return (c, a) }
        return nil
    }

    /// `a + b`: a sum when the scales agree, a difference when they are opposite (always so in
    /// eager mode, where scales are ±1); otherwise one side is rescaled by the ratio. Two masks
    /// on the same condition merge into one.
    private func accumulate(_ a: Scaled, _ b: Scaled, _ graph: inout Graph) -> Scaled {
        if a.scale == b.scale {
            if let (ca, va, sa) = mask(a.node, graph), let (cb, vb, sb) = mask(b.node, graph), ca == cb, sa == sb {
                let zero = graph.constant(0)
                let sum = graph.make(.add, va, vb)
                return Scaled(node: sa ? graph.ifElse(ca, sum, zero) : graph.ifElse(ca, zero, sum), scale: a.scale)
            }
            return Scaled(node: graph.make(.add, a.node, b.node), scale: a.scale)
        }
        if a.scale == -b.scale {
            return Scaled(node: graph.make(.sub, a.node, b.node), scale: a.scale)
        }
        // Keep the larger scale outside so the ratio folded inside stays below 1 in magnitude.
        let (outer, inner) = Swift.abs(a.scale) >= Swift.abs(b.scale) ? (a, b) : (b, a)
        let ratio = inner.scale / outer.scale
        guard ratio.isNormal else {
            return Scaled(node: graph.make(.add, a.materialized(&graph), b.materialized(&graph)))
        }
        let rescaled = Scaled(node: inner.node, scale: ratio)
        return Scaled(node: graph.make(.add, outer.node, rescaled.materialized(&graph)), scale: outer.scale)
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

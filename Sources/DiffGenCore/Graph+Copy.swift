extension Graph {
    /// Copies what `roots` of `source` compute into this graph, each symbol replaced by its node
    /// here in `replacements` (symbol of `source` → node of this graph): inlining a function's
    /// body at a call. Nodes go through `make`, so the copy simplifies and shares with what this
    /// graph has already. Returns nil when a root depends on a symbol without a replacement.
    ///
    /// - Complexity: O(nodes the roots depend on), one ascending loop (no recursion).
    public mutating func copy(_ roots: [NodeID], from source: Graph, replacing replacements: [NodeID: NodeID]) -> [NodeID]? {
        copyNodes(roots, from: source, replacing: replacements)
    }

    /// `copy(_:from:replacing:)` within this graph (a body built in the caller's own context),
    /// without the copy of the arena a snapshot of it would cost on the first append.
    public mutating func copy(_ roots: [NodeID], replacing replacements: [NodeID: NodeID]) -> [NodeID]? {
        copyNodes(roots, from: nil, replacing: replacements)
    }

    private mutating func copyNodes(_ roots: [NodeID], from source: Graph?, replacing replacements: [NodeID: NodeID]) -> [NodeID]? {
        guard let top = roots.max() else { return [] }
        let needed = source?.reachable(from: roots) ?? reachable(from: roots)
        var image = [Int32](repeating: -1, count: top.index + 1)
        func mapped(_ field: Int32) -> NodeID { NodeID(image[Int(field)]) }
        for index in 0...top.index where needed[index] {
            // Nodes below `top` are never changed by appending, so reading this graph is safe.
            let node = source?.nodes[index] ?? nodes[index]
            let copied: NodeID
            switch node.op {
            case .constant: copied = constant(Graph.constantValue(a: node.a, b: node.b))
            case .symbol:
                guard let replacement = replacements[NodeID(index)] else { return nil }
                copied = replacement
            case .powi: copied = powi(mapped(node.a), node.b)
            case .ifElse: copied = ifElse(mapped(node.a), mapped(node.b), mapped(node.c))
            default:
                copied = node.op.operandCount == 1 ? make(node.op, mapped(node.a)) : make(node.op, mapped(node.a), mapped(node.b))
            }
            image[index] = copied.raw
        }
        return roots.map { mapped($0.raw) }
    }
}

/// An append-only arena of expression nodes.
///
/// Each node is one 16-byte record (op and up to three operand fields) in a single array. DESIGN.md
/// suggests a struct of arrays; one record per node is faster here because hash-consing compares
/// all four fields of a candidate, which then touches one cache line instead of four, and
/// building appends to one array instead of four (measured: see the README's performance notes).
///
/// Invariants (checked by `verify()`):
/// - every operand id is smaller than its user's id, so `0..<count` is a topological order;
/// - no two non-symbol nodes have the same `(op, a, b, c)` (hash-consing), and commutative ops
///   store their operands sorted, so `x*y` and `y*x` are one node;
/// - constants are deduplicated by bit pattern (`-0.0` and `0.0` are different nodes).
///
/// Passes keep their scratch data in side arrays indexed by `NodeID.index`, never in the graph.
/// Take a `Graph` `inout`; copying one copies every array.
public struct Graph {
    /// One node: its op and three fields (operands, or literals for constant, symbol and powi).
    @usableFromInline struct Node {
        @usableFromInline var op: Op
        /// How many nodes are in this node's hash-consing chain, up to `Graph.chainLimit` (in
        /// what would otherwise be padding).
        @usableFromInline var users: UInt16 = 0
        @usableFromInline var a: Int32
        @usableFromInline var b: Int32
        @usableFromInline var c: Int32

        @usableFromInline init(op: Op, a: Int32, b: Int32, c: Int32) {
            self.op = op
            self.a = a
            self.b = b
            self.c = c
        }
    }

    @usableFromInline internal(set) var nodes: [Node] = []
    /// Names of symbols; a symbol node's `a` field indexes this array.
    package private(set) var symbolNames: [String] = []
    /// Hash-consing chains, one entry per node (see `intern`).
    var chains: [Chain] = []
    /// Hash-consing of constants and of nodes whose newest operand has many users.
    var table = HashConsTable()
    /// Which rewrites construction may apply.
    public let policy: SimplificationPolicy

    /// Creates an empty graph.
    public init(policy: SimplificationPolicy = .ieee) {
        self.policy = policy
    }

    /// Number of nodes.
    @inlinable public var count: Int { nodes.count }

    /// Reserves room for `n` nodes in all arrays.
    public mutating func reserveCapacity(_ n: Int) {
        nodes.reserveCapacity(n)
        chains.reserveCapacity(n)
    }

    /// Makes room for `n` more nodes (at least half again the current room), so a pass that
    /// knows roughly how much it adds grows the arrays once instead of doubling them repeatedly
    /// (each doubling copies the arena into freshly faulted pages).
    public mutating func reserveCapacity(forAdding n: Int) {
        let needed = nodes.count + n
        guard nodes.capacity < needed else { return }
        reserveCapacity(max(needed, nodes.capacity + nodes.capacity / 2))
    }

    /// The op of node `id`.
    @inlinable public func op(_ id: NodeID) -> Op { nodes[id.index].op }

    /// Operand `k` (0, 1 or 2) of node `id`; `k` must be below `op(id).operandCount`.
    @inlinable public func operand(_ k: Int, of id: NodeID) -> NodeID {
        let node = nodes[id.index]
        switch k {
        case 0: return NodeID(node.a)
        case 1: return NodeID(node.b)
        default: return NodeID(node.c)
        }
    }

    /// The integer exponent of a `powi` node.
    @inlinable public func powiExponent(_ id: NodeID) -> Int32 {
        let node = nodes[id.index]
        precondition(node.op == .powi, "\(id) is not a powi node")
        return node.b
    }

    /// The value of a constant node, or `nil` for any other node.
    @inlinable public func constantValue(_ id: NodeID) -> Double? {
        let node = nodes[id.index]
        guard node.op == .constant else { return nil }
        return Graph.constantValue(a: node.a, b: node.b)
    }

    /// The name of a symbol node, or `nil` for any other node.
    public func symbolName(_ id: NodeID) -> String? {
        let node = nodes[id.index]
        guard node.op == .symbol else { return nil }
        return symbolNames[Int(node.a)]
    }

    @inlinable static func constantValue(a: Int32, b: Int32) -> Double {
        let low = UInt64(UInt32(bitPattern: a))
        let high = UInt64(UInt32(bitPattern: b)) << 32
        return Double(bitPattern: high | low)
    }

    @inlinable static func constantFields(_ value: Double) -> (Int32, Int32) {
        let bits = value.bitPattern
        return (Int32(bitPattern: UInt32(truncatingIfNeeded: bits)),
                Int32(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)))
    }

    /// A new symbol. Symbols are never shared: two calls with one name give two nodes.
    public mutating func symbol(_ name: String) -> NodeID {
        let index = Int32(symbolNames.count)
        symbolNames.append(name)
        return append(.symbol, index, 0, 0)
    }

    /// The constant `value`, shared with any earlier constant of the same bit pattern.
    public mutating func constant(_ value: Double) -> NodeID {
        let (low, high) = Graph.constantFields(value)
        return intern(.constant, low, high, 0)
    }

    mutating func append(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> NodeID {
        precondition(nodes.count < Int(Int32.max), "graph is full (2^31 nodes)")
        let id = NodeID(nodes.count)
        nodes.append(Node(op: op, a: x, b: y, c: z))
        chains.append(Chain())
        return id
    }
}

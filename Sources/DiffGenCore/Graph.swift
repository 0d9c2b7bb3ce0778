/// An append-only arena of expression nodes, stored as a struct of arrays.
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
    @usableFromInline package private(set) var ops: [Op] = []
    @usableFromInline package private(set) var a: [Int32] = []
    @usableFromInline package private(set) var b: [Int32] = []
    @usableFromInline package private(set) var c: [Int32] = []
    /// Names of symbols; a symbol node's `a` field indexes this array.
    package private(set) var symbolNames: [String] = []
    var table = HashConsTable()
    /// Which rewrites construction may apply.
    public let policy: SimplificationPolicy

    /// Creates an empty graph.
    public init(policy: SimplificationPolicy = .ieee) {
        self.policy = policy
    }

    /// Number of nodes.
    @inlinable public var count: Int { ops.count }

    /// Reserves room for `n` nodes in all arrays.
    public mutating func reserveCapacity(_ n: Int) {
        ops.reserveCapacity(n)
        a.reserveCapacity(n)
        b.reserveCapacity(n)
        c.reserveCapacity(n)
        if 2 * n + 2 > table.slots.count { rebuildTable(sizedFor: n) }
    }

    /// The op of node `id`.
    @inlinable public func op(_ id: NodeID) -> Op { ops[id.index] }

    /// Operand `k` (0, 1 or 2) of node `id`; `k` must be below `op(id).operandCount`.
    @inlinable public func operand(_ k: Int, of id: NodeID) -> NodeID {
        switch k {
        case 0: return NodeID(a[id.index])
        case 1: return NodeID(b[id.index])
        default: return NodeID(c[id.index])
        }
    }

    /// The integer exponent of a `powi` node.
    @inlinable public func powiExponent(_ id: NodeID) -> Int32 {
        precondition(ops[id.index] == .powi, "\(id) is not a powi node")
        return b[id.index]
    }

    /// The value of a constant node, or `nil` for any other node.
    @inlinable public func constantValue(_ id: NodeID) -> Double? {
        guard ops[id.index] == .constant else { return nil }
        return Graph.constantValue(a: a[id.index], b: b[id.index])
    }

    /// The name of a symbol node, or `nil` for any other node.
    public func symbolName(_ id: NodeID) -> String? {
        guard ops[id.index] == .symbol else { return nil }
        return symbolNames[Int(a[id.index])]
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
        precondition(ops.count < Int(Int32.max), "graph is full (2^31 nodes)")
        let id = NodeID(ops.count)
        ops.append(op)
        a.append(x)
        b.append(y)
        c.append(z)
        return id
    }
}

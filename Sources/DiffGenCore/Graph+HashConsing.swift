/// Hash-consing: finding an existing node with the same op and fields, or appending a new one.
///
/// A node with operands is looked up among the *users of its newest operand* (constants aside):
/// each node heads a chain, through a side array, of the nodes that have it as that operand.
/// Building and differentiating mostly combine values made moments ago, so the chain and its
/// members are recent memory, where a hash table spreads every lookup over the whole arena (on
/// the 10⁵ Rosenbrock Hessian, a quarter of model-to-C time went to cache misses in the table).
/// An operand with many users (a constant such as 1 or 2 with 10⁵ of them) would make its chain
/// a linear search, so chains stop at `chainLimit` users and the rest go to the hash table, which
/// also holds constants (they have no operands).
extension Graph {
    /// The most users of one operand kept in its chain; later ones go to the table.
    static let chainLimit: UInt16 = 8

    package mutating func intern(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> NodeID {
        let key = chainKey(op, x, y, z)
        if key < 0 { return internInTable(op, x, y, z) }
        let found = findInChain(of: key, op, x, y, z)
        if found >= 0 { return NodeID(found) }
        guard nodes[key].users < Graph.chainLimit else { return internInTable(op, x, y, z) }
        let id = append(op, x, y, z)
        chains[id.index].previous = chains[key].last
        chains[key].last = id.raw
        nodes[key].users += 1
        return id
    }

    /// The node with these fields in the chain of `key`, or -1.
    private func findInChain(of key: Int, _ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> Int32 {
        var user = chains[key].last
        while user >= 0 {
            let node = nodes[Int(user)]
            if node.a == x && node.b == y && node.op == op && node.c == z { return user }
            user = chains[Int(user)].previous
        }
        return -1
    }

    /// The operand whose chain holds a node with these fields: the newest operand that is not a
    /// constant (constants are shared by many nodes, and the differentiator makes its constants
    /// after the nodes it multiplies them with), or -1 for a node without operands (and for
    /// the broken nodes `verify()` tests build, whose operands do not exist yet).
    @inline(__always)
    private func chainKey(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> Int {
        switch op.operandCount {
        case 0: return -1
        case 1: return x < nodes.count ? Int(x) : -1
        case 2:
            guard max(x, y) < nodes.count else { return -1 }
            if nodes[Int(y)].op == .constant { return Int(x) }
            if nodes[Int(x)].op == .constant { return Int(y) }
            return Int(max(x, y))
        default:
            guard max(x, y, z) < nodes.count else { return -1 }
            var key: Int32 = -1
            if nodes[Int(x)].op != .constant { key = x }
            if nodes[Int(y)].op != .constant { key = max(key, y) }
            if nodes[Int(z)].op != .constant { key = max(key, z) }
            return Int(key >= 0 ? key : max(x, y, z))
        }
    }

    /// Looks up and adds nodes that are not in a chain.
    private mutating func internInTable(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> NodeID {
        let (found, free) = probeTable(op, x, y, z)
        if found >= 0 { return NodeID(found) }
        let node = append(op, x, y, z)
        chains[node.index].previous = Chain.inTable
        if table.isFull {
            rebuildTable(sizedFor: 2 * table.used + 2)
        } else {
            table.fill(free, with: node.raw)  // the free slot that ended the search
        }
        return node
    }

    /// The table's node with these fields (or -1) and the free slot that ended the search.
    private func probeTable(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> (found: Int, free: Int) {
        let mask = table.mask
        var i = table.home(op, x, y, z)
        while true {
            let id = Int(table.slots[i])
            if id < 0 { return (-1, i) }
            let node = nodes[id]
            if node.a == x && node.b == y && node.op == op && node.c == z { return (id, i) }
            i = (i + 1) & mask
        }
    }

    /// Rebuilds the table from the arena's nodes that are not in a chain.
    mutating func rebuildTable(sizedFor entries: Int) {
        table.clear(sizedFor: entries)
        for (id, link) in chains.enumerated() where link.previous == Chain.inTable {
            let node = nodes[id]
            table.place(Int32(id), from: table.home(node.op, node.a, node.b, node.c))
        }
    }

    /// The interned node with these fields, or -1 (for `verify()`).
    func findInterned(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> Int {
        let key = chainKey(op, x, y, z)
        if key >= 0, case let found = findInChain(of: key, op, x, y, z), found >= 0 { return Int(found) }
        return probeTable(op, x, y, z).found
    }

    /// Number of nodes kept in the hash table rather than a chain (for `verify()`).
    var tableNodeCount: Int { chains.reduce(0) { $0 + ($1.previous == Chain.inTable ? 1 : 0) } }
}

/// A node's place in the user chains: its newest user in its own chain, and the next older
/// node in the chain it belongs to.
struct Chain {
    /// Marks a node kept in the hash table rather than a chain.
    static let inTable = Int32.min
    /// The newest node in this node's chain, or -1.
    var last: Int32 = -1
    /// The next older node in the chain this node is in, -1 at its end, or `inTable`.
    var previous: Int32 = -1
}

extension Graph {
    /// Returns the existing node `(op, x, y, z)` or appends it. Symbols never come here.
    package mutating func intern(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> NodeID {
        let mask = table.mask
        var i = table.home(op, x, y, z)
        let newestOperand: Int32
        switch op.operandCount {
        case 0: newestOperand = -1
        case 1: newestOperand = x
        case 2: newestOperand = max(x, y)
        default: newestOperand = max(x, y, z)
        }
        if newestOperand > largestUsedOperand {
            // No node uses that operand yet, so this node cannot exist: skip the comparisons
            // (each a likely cache miss in a large arena) and just find a free slot.
            while table.slots[i] >= 0 { i = (i + 1) & mask }
            largestUsedOperand = newestOperand
        } else {
            while true {
                let id = Int(table.slots[i])
                if id < 0 { break }
                let node = nodes[id]
                if node.a == x && node.b == y && node.op == op && node.c == z { return NodeID(id) }
                i = (i + 1) & mask
            }
        }
        let node = append(op, x, y, z)
        if table.isFull {
            rebuildTable(sizedFor: 2 * table.used + 2)
        } else {
            table.fill(i, with: node.raw)  // the free slot that ended the search
        }
        return node
    }

    /// Rebuilds the table from the arena; every non-symbol node is a key.
    mutating func rebuildTable(sizedFor entries: Int) {
        table.clear(sizedFor: entries)
        for (id, node) in nodes.enumerated() where node.op != .symbol {
            table.place(Int32(id), from: table.home(node.op, node.a, node.b, node.c))
        }
    }
}

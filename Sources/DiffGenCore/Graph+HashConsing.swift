extension Graph {
    /// Returns the existing node `(op, x, y, z)` or appends it. Symbols never come here.
    package mutating func intern(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> NodeID {
        let hash = HashConsTable.hash(op, x, y, z)
        let mask = table.mask
        var i = hash & mask
        while true {
            let id = Int(table.slots[i])
            if id < 0 { break }
            if ops[id] == op && a[id] == x && b[id] == y && c[id] == z { return NodeID(id) }
            i = (i + 1) & mask
        }
        let node = append(op, x, y, z)
        if table.isFull {
            rebuildTable(sizedFor: 2 * table.used + 2)
        } else {
            table.place(node.raw, hash: hash)
        }
        return node
    }

    /// Rebuilds the table from the arena; every non-symbol node is a key.
    mutating func rebuildTable(sizedFor entries: Int) {
        table.clear(sizedFor: entries)
        for id in 0..<ops.count where ops[id] != .symbol {
            table.place(Int32(id), hash: HashConsTable.hash(ops[id], a[id], b[id], c[id]))
        }
    }
}

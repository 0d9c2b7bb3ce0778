/// A broken graph invariant, found by `Graph.verify()`.
public struct GraphInvariantError: Error, CustomStringConvertible {
    public let node: NodeID
    public let problem: String
    public var description: String { "graph invariant broken at \(node): \(problem)" }
}

extension Graph {
    /// Checks every invariant of the arena and throws the first violation found.
    ///
    /// - Complexity: O(count), iterative.
    public func verify() throws {
        let n = ops.count
        guard a.count == n, b.count == n, c.count == n else {
            throw GraphInvariantError(node: NodeID(0), problem: "field arrays have different lengths")
        }
        var interned = 0
        for index in 0..<n {
            let id = NodeID(index)
            let op = ops[index]
            for k in 0..<op.operandCount {
                let operand = self.operand(k, of: id)
                guard operand.raw >= 0, operand < id else {
                    throw GraphInvariantError(node: id, problem: "operand \(k) is \(operand), not an older node")
                }
            }
            switch op {
            case .symbol:
                guard a[index] >= 0, Int(a[index]) < symbolNames.count else {
                    throw GraphInvariantError(node: id, problem: "symbol name index out of range")
                }
                continue
            case .powi:
                let exponent = b[index]
                guard exponent != 0, exponent != 1, exponent.magnitude <= ScalarSemantics.maxPowiExponent.magnitude else {
                    throw GraphInvariantError(node: id, problem: "powi exponent \(exponent) should have been simplified")
                }
            default:
                if op.isCommutative && b[index] < a[index] {
                    throw GraphInvariantError(node: id, problem: "commutative operands are not sorted")
                }
            }
            interned += 1
            if findInterned(op, a[index], b[index], c[index]) != index {
                throw GraphInvariantError(node: id, problem: "duplicate of an older node (hash-consing broken)")
            }
        }
        guard interned == table.used else {
            throw GraphInvariantError(node: NodeID(max(n - 1, 0)), problem: "hash-cons table holds \(table.used) entries for \(interned) nodes")
        }
    }

    /// The first node in the table's probe sequence with these fields, or -1.
    private func findInterned(_ op: Op, _ x: Int32, _ y: Int32, _ z: Int32) -> Int {
        let mask = table.mask
        var i = HashConsTable.hash(op, x, y, z) & mask
        while true {
            let id = Int(table.slots[i])
            if id < 0 { return -1 }
            if ops[id] == op && a[id] == x && b[id] == y && c[id] == z { return id }
            i = (i + 1) & mask
        }
    }
}

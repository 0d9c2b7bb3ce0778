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
        let n = nodes.count
        var interned = 0
        for index in 0..<n {
            let id = NodeID(index)
            let node = nodes[index]
            let op = node.op
            for k in 0..<op.operandCount {
                let operand = self.operand(k, of: id)
                guard operand.raw >= 0, operand < id else {
                    throw GraphInvariantError(node: id, problem: "operand \(k) is \(operand), not an older node")
                }
            }
            switch op {
            case .symbol:
                guard node.a >= 0, Int(node.a) < symbolNames.count else {
                    throw GraphInvariantError(node: id, problem: "symbol name index out of range")
                }
                continue
            case .powi:
                let exponent = node.b
                guard exponent != 0, exponent != 1, exponent.magnitude <= ScalarSemantics.maxPowiExponent.magnitude else {
                    throw GraphInvariantError(node: id, problem: "powi exponent \(exponent) should have been simplified")
                }
            default:
                if op.isCommutative && node.b < node.a {
                    throw GraphInvariantError(node: id, problem: "commutative operands are not sorted")
                }
            }
            interned += 1
            if findInterned(op, node.a, node.b, node.c) != index {
                throw GraphInvariantError(node: id, problem: "duplicate of an older node (hash-consing broken)")
            }
        }
        guard table.used == tableNodeCount, interned >= table.used else {
            throw GraphInvariantError(node: NodeID(max(n - 1, 0)), problem: "hash-cons table holds \(table.used) entries for \(tableNodeCount) nodes marked as in it")
        }
    }
}

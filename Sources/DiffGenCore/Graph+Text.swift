extension Graph {
    /// SSA-style text of the nodes that `roots` depend on, one line each, in ascending id order:
    /// `@5 = sin(@2)`, `@0 = x`, `@1 = 0.5`. For debugging; never recursive.
    public func text(of roots: [NodeID]) -> String {
        let needed = reachable(from: roots)
        var lines: [String] = []
        for index in 0..<needed.count where needed[index] {
            lines.append(line(NodeID(index)))
        }
        return lines.joined(separator: "\n")
    }

    /// One node's line of the text form.
    public func line(_ id: NodeID) -> String {
        let op = self.op(id)
        switch op {
        case .constant: return "\(id) = \(constantValue(id)!)"
        case .symbol: return "\(id) = \(symbolName(id)!)"
        case .powi: return "\(id) = powi(\(operand(0, of: id)), \(powiExponent(id)))"
        default:
            let operands = (0..<op.operandCount).map { operand($0, of: id).description }
            return "\(id) = \(op.name)(\(operands.joined(separator: ", ")))"
        }
    }

    /// Number of operations (nodes that are neither symbols nor constants) `roots` depend on.
    public func operationCount(reachableFrom roots: [NodeID]) -> Int {
        let marked = reachable(from: roots)
        var count = 0
        for index in 0..<marked.count where marked[index] {
            let op = nodes[index].op
            if op != .symbol && op != .constant { count += 1 }
        }
        return count
    }

    /// Marks every node that `roots` depend on (themselves included).
    ///
    /// The result has one entry per node up to the largest root. One descending sweep suffices
    /// because operands are always older than their users.
    /// - Complexity: O(largest root id).
    public func reachable(from roots: [NodeID]) -> [Bool] {
        guard let top = roots.max() else { return [] }
        var marked = [Bool](repeating: false, count: top.index + 1)
        for root in roots { marked[root.index] = true }
        for index in stride(from: top.index, through: 0, by: -1) where marked[index] {
            let id = NodeID(index)
            for k in 0..<nodes[index].op.operandCount {
                marked[operand(k, of: id).index] = true
            }
        }
        return marked
    }
}

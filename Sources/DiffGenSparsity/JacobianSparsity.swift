import DiffGenCore

extension Pattern {
    /// The structural sparsity of ∂outputs/∂inputs: entry (i, j) is present when output i depends
    /// on input j through ops that carry a derivative. Exact for the graph; no numeric probing.
    ///
    /// Bitset propagation in ascending node order, 64 inputs per pass (one `UInt64` per node);
    /// iterative, and linear in the graph size per pass.
    /// With more than 256 inputs it first tries sorted index sets per node (cost proportional to
    /// the dependencies actually present — a gradient's entries each depend on a few inputs),
    /// falling back to bitsets when the sets grow past 32 entries a node on average.
    /// - Complexity: O(nodes × ⌈inputs/64⌉) for bitsets; O(Σ set sizes) for index sets.
    public static func jacobian(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        if inputs.count > 256, let pattern = jacobianByIndexSets(of: outputs, wrt: inputs, in: graph) { return pattern }
        return jacobianByBitsets(of: outputs, wrt: inputs, in: graph)
    }

    /// Sorted input-index sets, merged upward in one ascending pass; nil when they grow too large.
    static func jacobianByIndexSets(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern? {
        let top = (outputs.max()?.index ?? -1) + 1
        guard top > 0 else { return Pattern(rows: outputs.count, cols: inputs.count, entries: []) }
        let needed = graph.reachable(from: outputs)
        var column = [Int32](repeating: -1, count: top)
        for (k, input) in inputs.enumerated() where input.index < top { column[input.index] = Int32(k) }
        // Node i's set is pool[start[i] ..< start[i] + length[i]].
        var start = [Int32](repeating: 0, count: top)
        var length = [Int32](repeating: 0, count: top)
        var pool: [Int32] = []
        let budget = 32 * top + 1024
        var merged: [Int32] = []
        for index in 0..<top where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            if column[index] >= 0 {
                start[index] = Int32(pool.count)
                length[index] = 1
                pool.append(column[index])
                continue
            }
            guard op.carriesDerivative else { continue }
            merged.removeAll(keepingCapacity: true)
            for k in 0..<op.operandCount where op.carriesDerivative(fromOperand: k) {
                let operand = graph.operand(k, of: id).index
                let (s, n) = (Int(start[operand]), Int(length[operand]))
                guard n > 0 else { continue }
                if merged.isEmpty {
                    merged.append(contentsOf: pool[s..<(s + n)])
                } else {
                    merged = Self.union(merged, pool[s..<(s + n)])
                }
            }
            guard !merged.isEmpty else { continue }
            start[index] = Int32(pool.count)
            length[index] = Int32(merged.count)
            pool.append(contentsOf: merged)
            if pool.count > budget { return nil }
        }
        var entries: [(row: Int, col: Int)] = []
        for (row, output) in outputs.enumerated() {
            let (s, n) = (Int(start[output.index]), Int(length[output.index]))
            for k in s..<(s + n) { entries.append((row, Int(pool[k]))) }
        }
        return Pattern(rows: outputs.count, cols: inputs.count, entries: entries)
    }

    private static func union(_ a: [Int32], _ b: ArraySlice<Int32>) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
        var (i, j) = (0, b.startIndex)
        while i < a.count || j < b.endIndex {
            if j == b.endIndex || (i < a.count && a[i] < b[j]) {
                out.append(a[i]); i += 1
            } else if i == a.count || b[j] < a[i] {
                out.append(b[j]); j += 1
            } else {
                out.append(a[i]); i += 1; j += 1
            }
        }
        return out
    }

    static func jacobianByBitsets(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        let top = (outputs.max()?.index ?? -1) + 1
        guard top > 0, let lowest = inputs.min()?.index, lowest < top else {
            return Pattern(rows: outputs.count, cols: inputs.count, entries: [])
        }
        let needed = graph.reachable(from: outputs)
        var entries: [(row: Int, col: Int)] = []
        var bits = [UInt64](repeating: 0, count: top)
        var chunk = 0
        while chunk < inputs.count {
            let width = min(64, inputs.count - chunk)
            for index in lowest..<top { bits[index] = 0 }
            for k in 0..<width where inputs[chunk + k].index < top {
                bits[inputs[chunk + k].index] |= 1 << UInt64(k)
            }
            for index in (lowest + 1)..<top where needed[index] {
                let id = NodeID(index)
                let op = graph.op(id)
                guard op.carriesDerivative else { continue }
                var word = bits[index]  // an input's own bit
                for k in 0..<op.operandCount where op.carriesDerivative(fromOperand: k) {
                    word |= bits[graph.operand(k, of: id).index]
                }
                bits[index] = word
            }
            for (row, output) in outputs.enumerated() {
                var word = output.index >= lowest ? bits[output.index] : 0
                while word != 0 {
                    let k = word.trailingZeroBitCount
                    entries.append((row, chunk + k))
                    word &= word - 1
                }
            }
            chunk += width
        }
        return Pattern(rows: outputs.count, cols: inputs.count, entries: entries)
    }
}

extension Pattern {
    /// The index-set propagation alone (for tests comparing the two methods).
    package static func jacobianByIndexSetsForTesting(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern? {
        jacobianByIndexSets(of: outputs, wrt: inputs, in: graph)
    }

    /// The bitset propagation alone (for tests comparing the two methods).
    package static func jacobianByBitsetsForTesting(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        jacobianByBitsets(of: outputs, wrt: inputs, in: graph)
    }
}

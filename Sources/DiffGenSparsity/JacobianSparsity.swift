import DiffGenCore

extension Pattern {
    /// The structural sparsity of ∂outputs/∂inputs: entry (i, j) is present when output i depends
    /// on input j through ops that carry a derivative. Exact for the graph; no numeric probing.
    ///
    /// Bitset propagation in ascending node order, 64 inputs per pass (one `UInt64` per node);
    /// iterative, and linear in the graph size per pass.
    /// - Complexity: O(nodes × ⌈inputs/64⌉).
    public static func jacobian(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
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

@_spi(Scratch) import DiffGenCore

extension Pattern {
    /// The structural sparsity of ∂outputs/∂inputs: entry (i, j) is present when output i depends
    /// on input j through ops that carry a derivative. Exact for the graph; no numeric probing.
    ///
    /// Bitset propagation, 64 inputs or outputs per pass (one `UInt64` per node), on the side
    /// needing fewer passes: forward in ascending node order, each node collecting its operands'
    /// input bits, or reverse in descending order, each node handing its output bits to its
    /// operands (a scalar of 10⁵ inputs: one reverse pass instead of 1563 forward ones).
    /// Iterative, and linear in the graph size per pass. With more than 256 inputs and more than
    /// one reverse pass it first tries sorted index sets per node (cost proportional to the
    /// dependencies actually present — a gradient's entries each depend on a few inputs),
    /// falling back to bitsets when the sets grow past 32 entries a node on average.
    /// - Complexity: O(nodes × ⌈min(inputs, outputs)/64⌉) for bitsets; O(Σ set sizes) for index sets.
    public static func jacobian(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        let (forwardPasses, reversePasses) = ((inputs.count + 63) / 64, (outputs.count + 63) / 64)
        if reversePasses <= 1 && forwardPasses > 1 { return jacobianByReverseBitsets(of: outputs, wrt: inputs, in: graph) }
        if inputs.count > 256, let pattern = jacobianByIndexSets(of: outputs, wrt: inputs, in: graph) { return pattern }
        return reversePasses < forwardPasses ? jacobianByReverseBitsets(of: outputs, wrt: inputs, in: graph)
            : jacobianByBitsets(of: outputs, wrt: inputs, in: graph)
    }

    /// Sorted input-index sets, merged upward in one ascending pass; nil when they grow too large.
    /// A node whose set equals an operand's (one moving operand, or one set containing the
    /// other) shares that operand's slice of the pool instead of copying it.
    static func jacobianByIndexSets(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern? {
        let top = (outputs.max()?.index ?? -1) + 1
        guard top > 0 else { return Pattern(rows: outputs.count, cols: inputs.count, entries: []) }
        let needed = graph.reachable(from: outputs)
        let column = Buffer<Int32>(top, -1)
        for (k, input) in inputs.enumerated() where input.index < top { column[input.index] = Int32(k) }
        // Node i's set is pool[start[i] ..< start[i] + length[i]].
        let start = Buffer<Int32>(top, 0), length = Buffer<Int32>(top, 0)
        defer { column.free(); start.free(); length.free() }
        let budget = 32 * top + 1024
        var capacity = max(1024, 2 * top)
        var pool = Buffer<Int32>(uninitialized: capacity)
        defer { pool.free() }
        var used = 0
        for index in 0..<top where needed[index] {
            if column[index] >= 0 {
                if used == capacity { capacity *= 2; pool = pool.resized(to: capacity, keeping: used) }
                start[index] = Int32(used)
                length[index] = 1
                pool[used] = column[index]
                used += 1
                continue
            }
            let id = NodeID(index)
            let op = graph.op(id)
            guard op.carriesDerivative else { continue }
            var (setStart, setLength) = (0, 0)
            for k in 0..<op.operandCount where op.carriesDerivative(fromOperand: k) {
                let operand = graph.operand(k, of: id).index
                let (s, n) = (Int(start[operand]), Int(length[operand]))
                if n == 0 || (s == setStart && n == setLength) { continue }
                if setLength == 0 { (setStart, setLength) = (s, n); continue }
                if used + setLength + n > capacity {
                    capacity = 2 * (used + setLength + n)
                    pool = pool.resized(to: capacity, keeping: used)
                }
                let count = Self.union(pool.base + setStart, setLength, pool.base + s, n, into: pool.base + used)
                // The union has an operand's length only when it is that operand's set.
                if count == setLength { continue }
                if count == n { (setStart, setLength) = (s, n); continue }
                (setStart, setLength) = (used, count)
                used += count
            }
            start[index] = Int32(setStart)
            length[index] = Int32(setLength)
            if used > budget { return nil }
        }
        var entries: [(row: Int, col: Int)] = []
        for (row, output) in outputs.enumerated() {
            let (s, n) = (Int(start[output.index]), Int(length[output.index]))
            for k in s..<(s + n) { entries.append((row, Int(pool[k]))) }
        }
        return Pattern(rows: outputs.count, cols: inputs.count, entries: entries)
    }

    /// Writes the sorted union of two sorted sets to `out`; returns its length.
    private static func union(_ a: UnsafePointer<Int32>, _ m: Int, _ b: UnsafePointer<Int32>, _ n: Int,
                              into out: UnsafeMutablePointer<Int32>) -> Int {
        var (i, j, k) = (0, 0, 0)
        while i < m && j < n {
            let (x, y) = (a[i], b[j])
            out[k] = x <= y ? x : y
            k += 1
            if x <= y { i += 1 }
            if y <= x { j += 1 }
        }
        while i < m { out[k] = a[i]; i += 1; k += 1 }
        while j < n { out[k] = b[j]; j += 1; k += 1 }
        return k
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

    /// Reverse bitset propagation: 64 outputs per pass, from the top node down, each node's
    /// output bits handed to its derivative-carrying operands; the inputs' words are columns.
    static func jacobianByReverseBitsets(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        let top = (outputs.max()?.index ?? -1) + 1
        guard top > 0, let lowest = inputs.min()?.index, lowest < top else {
            return Pattern(rows: outputs.count, cols: inputs.count, entries: [])
        }
        var entries: [(row: Int, col: Int)] = []
        let bits = Buffer<UInt64>(top, 0)
        defer { bits.free() }
        var chunk = 0
        while chunk < outputs.count {
            let width = min(64, outputs.count - chunk)
            for index in lowest..<top { bits[index] = 0 }
            for k in 0..<width { bits[outputs[chunk + k].index] |= 1 << UInt64(k) }
            for index in stride(from: top - 1, to: lowest, by: -1) {
                let word = bits[index]
                if word == 0 { continue }
                let id = NodeID(index)
                let op = graph.op(id)
                for k in 0..<op.operandCount where op.carriesDerivative(fromOperand: k) {
                    bits[graph.operand(k, of: id).index] |= word
                }
            }
            for (col, input) in inputs.enumerated() where input.index < top {
                var word = bits[input.index]
                while word != 0 {
                    entries.append((chunk + word.trailingZeroBitCount, col))
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

    /// The bitset propagation alone (for tests comparing the methods).
    package static func jacobianByBitsetsForTesting(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        jacobianByBitsets(of: outputs, wrt: inputs, in: graph)
    }

    /// The reverse bitset propagation alone (for tests comparing the methods).
    package static func jacobianByReverseBitsetsForTesting(of outputs: [NodeID], wrt inputs: [NodeID], in graph: Graph) -> Pattern {
        jacobianByReverseBitsets(of: outputs, wrt: inputs, in: graph)
    }
}

import DiffGenCore

extension Pattern {
    /// A star coloring of a symmetric pattern whose graph is bipartite: one side all in color 0,
    /// the other side distance-2 colored among itself (two of its vertices sharing a neighbour
    /// differ), which is a partial distance-2 column coloring of the side-by-side block. Every
    /// path on four vertices alternates sides, so it holds two vertices of color 0 and two of the
    /// other side at distance 2, hence three colors: a star coloring. On grids this beats greedy
    /// star coloring in any order (3-D Laplacian: the distance-2 colorings of one sublattice are
    /// far from greedy's worst cases). Both sides are tried as the single-color one.
    ///
    /// Nil when the graph has an odd cycle, or when neither side can give fewer than `limit`
    /// colors: with one side single-colored, the other needs at least as many colors as the
    /// largest degree on the single side (its neighbours share it), so that side is not tried
    /// when 1 + that degree reaches the limit (2-D Laplacian: 5, where greedy already has 5).
    /// O(nonzeros) plus up to two column colorings.
    func bipartiteStarColoring(_ graph: AdjacencyGraph, below limit: Int) -> Coloring? {
        guard let side = graph.twoColoring() else { return nil }
        var largestDegree = [0, 0]
        for v in 0..<graph.vertexCount {
            largestDegree[Int(side[v])] = Swift.max(largestDegree[Int(side[v])], graph.degree(v))
        }
        var best: Coloring? = nil
        for single: UInt8 in [0, 1] where 1 + largestDegree[Int(single)] < Swift.min(limit, best?.count ?? limit) {
            // Columns: the other side's vertices; rows: their neighbours (all on the single side).
            var members: [Int] = []
            var starts: [Int32] = [0]
            var rowIndices: [Int32] = []
            for v in 0..<graph.vertexCount where side[v] != single {
                members.append(v)
                rowIndices.append(contentsOf: graph.neighbors(of: v))
                starts.append(Int32(rowIndices.count))
            }
            let block = Pattern(uncheckedRows: graph.vertexCount, cols: members.count, columnStarts: starts, rowIndices: rowIndices)
            let others = block.columnColoring()
            var colors = [Int32](repeating: 0, count: graph.vertexCount)
            for (k, v) in members.enumerated() { colors[v] = others.colors[k] + 1 }
            let coloring = Coloring(colors, count: members.isEmpty ? 1 : others.count + 1)
            if best == nil || coloring.count < best!.count { best = coloring }
        }
        return best
    }
}

extension AdjacencyGraph {
    /// A proper 2-coloring (each component from its lowest vertex, which gets side 0), or nil if
    /// the graph has an odd cycle. Breadth-first with an explicit queue.
    func twoColoring() -> [UInt8]? {
        let n = vertexCount
        var side = [UInt8](repeating: 2, count: n)  // 2: not reached yet
        var queue = [Int32](repeating: 0, count: n)
        for root in 0..<n where side[root] == 2 {
            side[root] = 0
            var (head, tail) = (0, 1)
            queue[0] = Int32(root)
            while head < tail {
                let v = Int(queue[head])
                head += 1
                for u in neighbors(of: v) {
                    if side[Int(u)] == 2 {
                        side[Int(u)] = side[v] ^ 1
                        queue[tail] = u
                        tail += 1
                    } else if side[Int(u)] == side[v] {
                        return nil
                    }
                }
            }
        }
        return side
    }
}

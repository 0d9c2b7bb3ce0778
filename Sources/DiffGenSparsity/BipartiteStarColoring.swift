@_spi(Scratch) import DiffGenCore

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
            let block = sideBlock(graph, side: side, without: single)
            let others = block.pattern.columnColoring()
            var colors = [Int32](repeating: 0, count: graph.vertexCount)
            for (k, v) in block.members.enumerated() { colors[Int(v)] = others.colors[k] + 1 }
            let coloring = Coloring(colors, count: block.members.isEmpty ? 1 : others.count + 1)
            if best == nil || coloring.count < best!.count { best = coloring }
        }
        return best
    }

    /// The vertices not on side `single`, and the pattern whose columns they are (rows: their
    /// neighbours), built in place: these arrays hold half the graph's adjacency, and growing them
    /// by appends copied it several times over.
    private func sideBlock(_ graph: AdjacencyGraph, side: [UInt8], without single: UInt8) -> (members: [Int32], pattern: Pattern) {
        let n = graph.vertexCount
        var memberCount = 0, entryCount = 0
        for v in 0..<n where side[v] != single {
            memberCount += 1
            entryCount += graph.degree(v)
        }
        var starts = [Int32](repeating: 0, count: memberCount + 1)
        var members = [Int32](repeating: 0, count: memberCount)
        let rowIndices = [Int32](unsafeUninitializedCapacity: Swift.max(entryCount, 1)) { out, initialized in
            graph.offsets.withUnsafeBufferPointer { offsets in
                graph.neighbors.withUnsafeBufferPointer { neighbors in
                    starts.withUnsafeMutableBufferPointer { starts in
                        members.withUnsafeMutableBufferPointer { members in
                            var (k, count) = (0, 0)
                            for v in 0..<n where side[v] != single {
                                for m in offsets[v]..<offsets[v + 1] {
                                    out[count] = neighbors[m]
                                    count &+= 1
                                }
                                members[k] = Int32(truncatingIfNeeded: v)
                                k &+= 1
                                starts[k] = Int32(truncatingIfNeeded: count)
                            }
                        }
                    }
                }
            }
            initialized = entryCount
        }
        return (members, Pattern(uncheckedRows: n, cols: memberCount, columnStarts: starts, rowIndices: rowIndices))
    }
}

extension AdjacencyGraph {
    /// A proper 2-coloring (each component from its lowest vertex, which gets side 0), or nil if
    /// the graph has an odd cycle. Breadth-first with an explicit queue.
    func twoColoring() -> [UInt8]? {
        let n = vertexCount
        var side = [UInt8](repeating: 2, count: n)  // 2: not reached yet
        let queue = Buffer<Int32>(uninitialized: Swift.max(n, 1))
        defer { queue.free() }
        // Raw pointers: a breadth-first pass over the whole graph, before every bipartite star
        // coloring; checked indexing made it a sixth of the coloring on large grids.
        let bipartite = offsets.withUnsafeBufferPointer { offsets in
            neighbors.withUnsafeBufferPointer { neighbors in
                side.withUnsafeMutableBufferPointer { side in
                    for root in 0..<n where side[root] == 2 {
                        side[root] = 0
                        var (head, tail) = (0, 1)
                        queue[0] = Int32(truncatingIfNeeded: root)
                        while head < tail {
                            let v = Int(queue[head])
                            head &+= 1
                            let opposite = side[v] ^ 1
                            for m in offsets[v]..<offsets[v + 1] {
                                let u = Int(neighbors[m])
                                if side[u] == 2 {
                                    side[u] = opposite
                                    queue[tail] = Int32(truncatingIfNeeded: u)
                                    tail &+= 1
                                } else if side[u] != opposite {
                                    return false
                                }
                            }
                        }
                    }
                    return true
                }
            }
        }
        return bipartite ? side : nil
    }
}

import DiffGenCore

extension Pattern {
    /// An acyclic coloring of a symmetric pattern's variables: a distance-1 coloring in which
    /// every cycle uses at least three colors, so each two-colored subgraph is a forest and the
    /// Hessian follows from the compressed sweeps by substitution (`AcyclicRecovery`; Gebremedhin,
    /// Manne, Pothen, SIAM Review 2005, §4.2; Gebremedhin, Tarafdar, Manne, Pothen 2007).
    ///
    /// The acyclic greedy coloring (`greedyAcyclicColoring`, two-colored trees in a disjoint-set
    /// forest) in largest-first order (`.fast`; see `starColoring` for when dense vertices make
    /// another order run instead); `.balanced` (the default) adds smallest-last order, the
    /// greedy distance-1 coloring in natural order when it passes the exact acyclicity test (on a
    /// band of half-bandwidth b that gives the optimal b + 1 colors) and, where a few vertices
    /// hold most edges, smallest-last order in the square graph; `.best` runs every
    /// order, the orders of its best coloring's classes, and the star coloring. A star coloring
    /// passed in (always acyclic) is kept when it has fewer colors. The fewest colors win.
    public func acyclicColoring(star: Coloring? = nil, effort: ColoringEffort = .balanced) -> Coloring {
        let graph = AdjacencyGraph.symmetric(self)
        // The acyclic pass visits what the star pass visits: the same guard against dense vertices first.
        let (first, work) = graph.affordableLargestFirst()
        // Smallest-last in the square graph (ColPack's distance-2 smallest-last) wins where a few
        // hubs have most edges (power-law graphs: 9 colors against 10); elsewhere it never won
        // and its square graph costs more than a pass, so it runs only on skewed degrees, first
        // (the passes after it then give up early).
        let n = graph.vertexCount
        let most = (0..<n).reduce(0) { Swift.max($0, graph.degree($1)) }
        let skewed = effort != .fast && n > 0 && most > 8 * Swift.max(1, graph.neighbors.count / n)
            && graph.squaredDegreeSum <= 4 * Swift.max(work, nonzeroCount)
        var best = graph.greedyAcyclicColoring(skewed ? graph.squared().smallestLastOrder() : first)
        func consider(_ candidate: Coloring?) { if let candidate, candidate.count < best.count { best = candidate } }
        // A greedy distance-1 coloring counts only when the exact test finds it acyclic.
        func considerDistance1(_ order: [Int]) {
            let candidate = graph.greedyColoring(order)
            if candidate.count < best.count && graph.isAcyclic(candidate) { best = candidate }
        }
        consider(star)
        if effort != .fast {
            // Each pass after the first gives up once it needs as many colors as the best so far.
            if skewed { consider(graph.greedyAcyclicColoring(first, below: best.count)) }
            considerDistance1(graph.order(.natural))
            // Smallest-last wins on stencils and power-law graphs; natural never won alone.
            let smallestLast = graph.order(.smallestLast)
            if graph.starColoringWork(smallestLast) <= 4 * work { consider(graph.greedyAcyclicColoring(smallestLast, below: best.count)) }
        }
        if effort == .best {
            consider(starColoring(effort: .best))
            for ordering in VertexOrdering.allCases {
                let order = graph.order(ordering)
                considerDistance1(order)
                consider(graph.greedyAcyclicColoring(order, below: best.count))
            }
            for round in 0..<12 { consider(graph.greedyAcyclicColoring(best.classOrder(reversed: round % 2 == 1), below: best.count)) }
        }
        return best
    }
}

extension AdjacencyGraph {
    /// Whether every two-colored subgraph is a forest (union–find over each color pair's edges).
    func isAcyclic(_ coloring: Coloring) -> Bool {
        let c = coloring.colors
        // Edges u < w grouped by color pair.
        var edges: [(pair: Int, u: Int32, w: Int32)] = []
        let k = coloring.count
        for u in 0..<vertexCount {
            for w in neighbors(of: u) where Int(w) > u {
                let (a, b) = (Int(c[u]), Int(c[Int(w)]))
                if a == b { return false }
                edges.append((min(a, b) * k + max(a, b), Int32(u), w))
            }
        }
        edges.sort { ($0.pair, $0.u, $0.w) < ($1.pair, $1.u, $1.w) }
        var parent = [Int32](repeating: -1, count: vertexCount)
        var touched: [Int32] = []
        func find(_ v: Int32) -> Int32 {
            var root = v
            while parent[Int(root)] >= 0 { root = parent[Int(root)] }
            var x = v
            while parent[Int(x)] >= 0 {
                let next = parent[Int(x)]
                parent[Int(x)] = root
                x = next
            }
            return root
        }
        var start = 0
        while start < edges.count {
            var end = start
            while end < edges.count && edges[end].pair == edges[start].pair { end += 1 }
            for e in edges[start..<end] {
                let (ru, rw) = (find(e.u), find(e.w))
                if ru == rw { return false }  // this edge closes a two-colored cycle
                parent[Int(ru)] = rw
                touched.append(ru)
            }
            for v in touched { parent[Int(v)] = -1 }
            touched.removeAll(keepingCapacity: true)
            start = end
        }
        return true
    }
}

extension ColoringCheck {
    /// A distance-1 coloring in which no cycle uses only two colors (slow, obviously correct:
    /// depth-first search for a cycle in each two-colored subgraph).
    public static func isAcyclic(_ pattern: Pattern, _ coloring: Coloring) -> Bool {
        let graph = AdjacencyGraph.symmetric(pattern)
        let c = coloring.colors
        for v in 0..<graph.vertexCount {
            for w in graph.neighbors(of: v) where c[v] == c[Int(w)] { return false }
        }
        for a in 0..<Int32(coloring.count) {
            for b in (a + 1)..<Int32(coloring.count) {
                var visited = [Bool](repeating: false, count: graph.vertexCount)
                for root in 0..<graph.vertexCount where !visited[root] && (c[root] == a || c[root] == b) {
                    // Iterative DFS remembering each vertex's parent; reaching a visited vertex
                    // other than the parent closes a cycle.
                    var stack: [(vertex: Int, parent: Int)] = [(root, -1)]
                    visited[root] = true
                    while let (v, parent) = stack.popLast() {
                        for w in graph.neighbors(of: v) where (c[Int(w)] == a || c[Int(w)] == b) && Int(w) != parent {
                            if visited[Int(w)] { return false }
                            visited[Int(w)] = true
                            stack.append((Int(w), v))
                        }
                    }
                }
            }
        }
        return true
    }
}

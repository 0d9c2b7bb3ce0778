@_spi(Scratch) import DiffGenCore

// Star colorings of symmetric patterns: the greedy passes, their cost, the choice of orders
// and the effort spent on them.

extension AdjacencyGraph {
    /// Greedy star coloring: a distance-1 coloring in which every path on four vertices uses at
    /// least three colors (Gebremedhin, Manne, Pothen 2005, §4.1), enforced exactly for every
    /// path through the vertex being colored:
    /// - v at an end, v–w–x–y: v may not take x's color if y has w's color;
    /// - v inside, w–v–x–y: if two neighbours w, x share a color, v may not take the color of
    ///   any neighbour of either.
    ///
    /// `distance2Ahead`: also keep v's color apart from every colored vertex two steps away
    /// through a neighbour not yet colored (Gebremedhin, Manne, Pothen 2005, Algorithm 4.1, as
    /// CasADi's default star coloring does). More restrictive at each step, it often ends with
    /// fewer colors — 18 against 95 on a power-law graph — and sometimes with more.
    func greedyStarColoring(_ order: [Int], distance2Ahead: Bool = false) -> Coloring {
        greedyStarColoring(order, distance2Ahead: distance2Ahead, below: Int.max)!
    }

    /// The pass, given up (nil) as soon as it needs `limit` colors: it can no longer beat a
    /// coloring with that many, so a losing pass costs only its start.
    func greedyStarColoring(_ order: [Int], distance2Ahead: Bool = false, below limit: Int) -> Coloring? {
        let colors: [Int32]? = offsets.withUnsafeBufferPointer { offsets in
            neighbors.withUnsafeBufferPointer { neighbors in
                order.withUnsafeBufferPointer { order in
                    Self.greedyStar(order: order, offsets: offsets, neighbors: neighbors, distance2Ahead: distance2Ahead, limit: limit)
                }
            }
        }
        return colors.map(Coloring.init)
    }

    /// The loop of `greedyStarColoring` on raw pointers (it visits neighbours of neighbours, where
    /// array slices and checked indexing cost several times the work itself).
    private static func greedyStar(order: UnsafeBufferPointer<Int>, offsets: UnsafeBufferPointer<Int>,
                                   neighbors: UnsafeBufferPointer<Int32>, distance2Ahead: Bool, limit: Int) -> [Int32]? {
        let n = offsets.count - 1
        let colors = Buffer<Int32>(n, -1)
        let forbidden = Buffer<Int>(n + 1, -1)
        let firstWithColor = Buffer<Int>(n + 1, -1)  // per color: a neighbour of v having it
        let seenStamp = Buffer<Int>(n + 1, -1)
        let doubled = Buffer<Int>(n + 1, -1)         // per color: forbidden around already
        // neighbourColors[x·width + c]: how many neighbours of x have color c, so "does x have a
        // neighbour other than w with w's color" is one lookup. The width grows with the colors
        // in use (rebuilt on doubling); beyond 5·10⁷ entries neighbour lists are scanned instead.
        var width = 8
        var counted = n * width <= 50_000_000
        var neighbourColors = Buffer<Int32>(counted ? n * width : 0, 0)
        defer {
            colors.free()
            for buffer in [forbidden, firstWithColor, seenStamp, doubled] { buffer.free() }
            neighbourColors.free()
        }
        func hasOtherNeighbour(_ x: Int, besides w: Int32, withColor c: Int32) -> Bool {
            if counted { return neighbourColors[x * width + Int(c)] >= 2 }  // w itself is one
            for k in offsets[x]..<offsets[x + 1] where neighbors[k] != w && colors[Int(neighbors[k])] == c { return true }
            return false
        }
        for v in order {
            for k in offsets[v]..<offsets[v + 1] {
                let w = neighbors[k]
                let cw = colors[Int(w)]
                guard cw >= 0 else {
                    if distance2Ahead {
                        for m in offsets[Int(w)]..<offsets[Int(w) + 1] where colors[Int(neighbors[m])] >= 0 {
                            forbidden[Int(colors[Int(neighbors[m])])] = v
                        }
                    }
                    continue
                }
                forbidden[Int(cw)] = v
                // v at an end of v–w–x–y.
                for m in offsets[Int(w)]..<offsets[Int(w) + 1] {
                    let x = Int(neighbors[m])
                    let cx = colors[x]
                    guard x != v, cx >= 0, forbidden[Int(cx)] != v else { continue }
                    if hasOtherNeighbour(x, besides: w, withColor: cw) { forbidden[Int(cx)] = v }
                }
                // v inside w–v–x–y: a second neighbour with w's color.
                if seenStamp[Int(cw)] != v {
                    seenStamp[Int(cw)] = v
                    firstWithColor[Int(cw)] = Int(w)
                } else {
                    if doubled[Int(cw)] != v {
                        doubled[Int(cw)] = v
                        let first = firstWithColor[Int(cw)]
                        for m in offsets[first]..<offsets[first + 1] {
                            let y = Int(neighbors[m])
                            if y != v && colors[y] >= 0 { forbidden[Int(colors[y])] = v }
                        }
                    }
                    for m in offsets[Int(w)]..<offsets[Int(w) + 1] {
                        let y = Int(neighbors[m])
                        if y != v && colors[y] >= 0 { forbidden[Int(colors[y])] = v }
                    }
                }
            }
            var c = 0
            while forbidden[c] == v { c += 1 }
            if c + 1 >= limit { return nil }
            if counted && c >= width {
                // Double the width and recount from the colors so far (v's not yet set).
                width = Swift.max(2 * width, c + 1)
                counted = n * width <= 50_000_000
                neighbourColors.free()
                neighbourColors = Buffer<Int32>(counted ? n * width : 0, 0)
                if counted {
                    for x in 0..<n where colors[x] >= 0 {
                        for m in offsets[x]..<offsets[x + 1] { neighbourColors[Int(neighbors[m]) * width + Int(colors[x])] += 1 }
                    }
                }
            }
            colors[v] = Int32(c)
            if counted { for m in offsets[v]..<offsets[v + 1] { neighbourColors[Int(neighbors[m]) * width + c] += 1 } }
        }
        return Array(UnsafeBufferPointer(start: colors.base, count: n))
    }
}

extension AdjacencyGraph {
    /// The neighbour-of-neighbour visits greedy star coloring makes in `order`: for each vertex,
    /// the degrees of its neighbours colored before it.
    func starColoringWork(_ order: [Int]) -> Int {
        let n = vertexCount
        let position = Buffer<Int>(n, 0)
        defer { position.free() }
        for (k, v) in order.enumerated() { position[v] = k }
        var work = 0
        offsets.withUnsafeBufferPointer { offsets in
            neighbors.withUnsafeBufferPointer { neighbors in
                for v in 0..<n {
                    for k in offsets[v]..<offsets[v + 1] {
                        let w = Int(neighbors[k])
                        if position[w] < position[v] { work &+= offsets[w + 1] &- offsets[w] }
                    }
                }
            }
        }
        return work
    }
}

extension Pattern {
    /// A star coloring of a symmetric pattern's variables: one forward-over-reverse sweep per
    /// color recovers the Hessian directly (GMP 2005, §4.1).
    ///
    /// `.fast` is one greedy pass in largest-first order — unless its work would exceed four
    /// times that of natural order or smallest-first: the work of coloring v is the degrees of
    /// its already-colored neighbours, so coloring a few dense vertices first costs O(n²) (a band
    /// with dense border rows: CasADi's largest-first star colorings take 44 s and 300+ s there)
    /// while coloring them last costs O(n); the cheaper order runs instead then. `.balanced` (the
    /// default) adds a pass under the distance-2-ahead rule (CasADi's default algorithm), one in
    /// smallest-last order, and the bipartite construction; `.best` runs every order under both
    /// rules, iterated greedy recoloring and seeded random orders first. The fewest colors win.
    public func starColoring(effort: ColoringEffort = .balanced) -> Coloring {
        let graph = AdjacencyGraph.symmetric(self)
        let (order, work) = graph.affordableLargestFirst()
        var best: Coloring
        func consider(_ candidate: Coloring?) { if let candidate, candidate.count < best.count { best = candidate } }
        switch effort {
        case .fast:
            return graph.greedyStarColoring(order)
        case .balanced:
            // Largest-first under the distance-2-ahead rule (the best on random and power-law
            // graphs, so it runs first) and under the exact rule, and smallest-last under the exact
            // rule (the best on dense stencils): on the reference patterns and generated families,
            // the other combinations never won alone. Each pass after the first gives up once it
            // needs as many colors as the best so far. The distance-2-ahead rule visits every
            // neighbour's neighbours: Σ deg(w)² work.
            let budget = 4 * Swift.max(work, nonzeroCount)
            if graph.squaredDegreeSum <= budget {
                best = graph.greedyStarColoring(order, distance2Ahead: true)
                if let exact = graph.greedyStarColoring(order, below: best.count) { best = exact }
            } else {
                best = graph.greedyStarColoring(order)
            }
            let smallestLast = graph.order(.smallestLast)
            if graph.starColoringWork(smallestLast) <= budget, let last = graph.greedyStarColoring(smallestLast, below: best.count) { best = last }
        case .best:
            best = graph.greedyStarColoring(order)
            for ordering in VertexOrdering.allCases {
                let order = graph.order(ordering)
                for ahead in [false, true] { consider(graph.greedyStarColoring(order, distance2Ahead: ahead, below: best.count)) }
            }
            best = graph.improvedStarColoring(best)
        }
        guard best.count > 3, let bipartite = bipartiteStarColoring(graph, below: best.count), bipartite.count < best.count else { return best }
        return bipartite
    }
}

/// How hard a coloring works for fewer colors.
public enum ColoringEffort: Sendable, CaseIterable {
    /// One greedy pass, as CasADi does: for huge patterns, linear time.
    case fast
    /// Several vertex orders and greedy rules within a few passes' work (the default).
    case balanced
    /// Every order and rule, then iterated greedy recoloring and seeded random orders: for a
    /// pattern colored once and evaluated a million times.
    case best
}

extension AdjacencyGraph {
    /// Largest-first order and its work — unless dense vertices colored first make the pass
    /// quadratic; then the cheapest of natural order and smallest-first (dense vertices last)
    /// when it costs under a quarter.
    func affordableLargestFirst() -> (order: [Int], work: Int) {
        let largestFirst = order(.largestFirst)
        var (best, work) = (largestFirst, starColoringWork(largestFirst))
        guard work > 8 * neighbors.count + 10_000 else { return (best, work) }
        for candidate in [order(.natural), Array(largestFirst.reversed())] {
            let cost = starColoringWork(candidate)
            if 4 * cost < work { (best, work) = (candidate, cost) }
        }
        return (best, work)
    }

    /// Iterated greedy (Culberson): recolor in the order of the best coloring's color classes,
    /// largest class first and in reverse, under both rules, and try seeded random orders; keep
    /// the fewest colors. Each candidate is a complete greedy star coloring, so valid.
    func improvedStarColoring(_ start: Coloring) -> Coloring {
        var best = start
        var random = SplitMix(seed: 1)
        for round in 0..<24 {
            var order: [Int]
            if round < 12 {
                order = best.classOrder(reversed: round % 2 == 1)
            } else {
                order = Array(0..<vertexCount)
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            }
            for ahead in [false, true] {
                let candidate = greedyStarColoring(order, distance2Ahead: ahead)
                if candidate.count < best.count { best = candidate }
            }
        }
        return best
    }
}

import DiffGenCore

/// A coloring of the columns (or rows, or variables) of a pattern: `colors[v]` in 0..<count.
public struct Coloring: Equatable, Sendable {
    public let colors: [Int32]
    public let count: Int

    /// A coloring given color by color (each in 0..<count).
    public init(_ colors: [Int32]) {
        self.colors = colors
        count = Int(colors.max().map { $0 + 1 } ?? 0)
    }

    /// The members of each color class, ascending.
    public var classes: [[Int]] {
        var out = [[Int]](repeating: [], count: count)
        for (v, c) in colors.enumerated() { out[Int(c)].append(v) }
        return out
    }
}

extension AdjacencyGraph {
    /// Greedy distance-1 coloring: each vertex takes the smallest color no neighbour has.
    func greedyColoring(_ order: [Int]) -> Coloring {
        var colors = [Int32](repeating: -1, count: vertexCount)
        var forbidden = [Int](repeating: -1, count: vertexCount + 1)
        for v in order {
            for u in neighbors(of: v) where colors[Int(u)] >= 0 { forbidden[Int(colors[Int(u)])] = v }
            var c = 0
            while forbidden[c] == v { c += 1 }
            colors[v] = Int32(c)
        }
        return Coloring(colors)
    }

    /// Greedy star coloring: a distance-1 coloring in which every path on four vertices uses at
    /// least three colors (Gebremedhin, Manne, Pothen 2005, §4.1), enforced exactly for every
    /// path through the vertex being colored:
    /// - v at an end, v–w–x–y: v may not take x's color if y has w's color;
    /// - v inside, w–v–x–y: if two neighbours w, x share a color, v may not take the color of
    ///   any neighbour of either.
    func greedyStarColoring(_ order: [Int]) -> Coloring {
        let n = vertexCount
        var colors = [Int32](repeating: -1, count: n)
        var forbidden = [Int](repeating: -1, count: n + 1)
        var firstWithColor = [Int](repeating: -1, count: n + 1)  // per color: a neighbour of v having it
        var seenStamp = [Int](repeating: -1, count: n + 1)
        var doubled = [Int](repeating: -1, count: n + 1)       // per color: forbidden around already
        // neighbourColors[x·width + c]: how many neighbours of x have color c, so "does x have a
        // neighbour other than w with w's color" is one lookup. Colors never exceed the largest
        // degree + 1; the table is skipped (neighbour lists are scanned) when it would be huge.
        let width = (0..<n).map(degree).max().map { $0 + 2 } ?? 1
        let counted = n * width <= 50_000_000
        var neighbourColors = [Int32](repeating: 0, count: counted ? n * width : 0)
        func hasOtherNeighbour(_ x: Int, besides w: Int32, withColor c: Int32) -> Bool {
            if counted { return neighbourColors[x * width + Int(c)] >= 2 }  // w itself is one
            return neighbors(of: x).contains { $0 != w && colors[Int($0)] == c }
        }
        for v in order {
            for w in neighbors(of: v) {
                let cw = colors[Int(w)]
                guard cw >= 0 else { continue }
                forbidden[Int(cw)] = v
                // v at an end of v–w–x–y.
                for x in neighbors(of: Int(w)) where Int(x) != v {
                    let cx = colors[Int(x)]
                    guard cx >= 0, forbidden[Int(cx)] != v else { continue }
                    if hasOtherNeighbour(Int(x), besides: w, withColor: cw) { forbidden[Int(cx)] = v }
                }
                // v inside w–v–x–y: a second neighbour with w's color.
                if seenStamp[Int(cw)] != v {
                    seenStamp[Int(cw)] = v
                    firstWithColor[Int(cw)] = Int(w)
                } else {
                    if doubled[Int(cw)] != v {
                        doubled[Int(cw)] = v
                        for y in neighbors(of: firstWithColor[Int(cw)]) where Int(y) != v && colors[Int(y)] >= 0 {
                            forbidden[Int(colors[Int(y)])] = v
                        }
                    }
                    for y in neighbors(of: Int(w)) where Int(y) != v && colors[Int(y)] >= 0 {
                        forbidden[Int(colors[Int(y)])] = v
                    }
                }
            }
            var c = 0
            while forbidden[c] == v { c += 1 }
            colors[v] = Int32(c)
            if counted { for u in neighbors(of: v) { neighbourColors[Int(u) * width + c] += 1 } }
        }
        return Coloring(colors)
    }
}

extension AdjacencyGraph {
    /// DSATUR (dynamic largest first by saturation): repeatedly color the uncolored vertex whose
    /// neighbours show the most distinct colors, ties to larger degree then lower index
    /// (Brélaz 1979; GMP 2005 §3.3 "dynamic largest first"). Finds optimal colorings of regular
    /// stencils where static orders do not (the 2-D Laplacian's 5 colors).
    func dsaturColoring() -> Coloring {
        let n = vertexCount
        var colors = [Int32](repeating: -1, count: n)
        var seen = [Set<Int32>](repeating: [], count: n)
        // Entries go stale as saturation grows; they are skipped when popped.
        typealias Entry = (saturation: Int, degree: Int, vertex: Int)
        var heap = BinaryHeap<Entry> { a, b in (a.saturation, a.degree, -a.vertex) > (b.saturation, b.degree, -b.vertex) }
        for v in 0..<n { heap.push((0, degree(v), v)) }
        var forbidden = [Int](repeating: -1, count: n + 1)
        var colored = 0
        while colored < n, let top = heap.pop() {
            let v = top.vertex
            if colors[v] >= 0 || top.saturation != seen[v].count { continue }  // stale entry
            for u in neighbors(of: v) where colors[Int(u)] >= 0 { forbidden[Int(colors[Int(u)])] = v }
            var c = 0
            while forbidden[c] == v { c += 1 }
            colors[v] = Int32(c)
            colored += 1
            for u in neighbors(of: v) where colors[Int(u)] < 0 && seen[Int(u)].insert(Int32(c)).inserted {
                heap.push((seen[Int(u)].count, degree(Int(u)), Int(u)))
            }
        }
        return Coloring(colors)
    }
}

extension Pattern {
    /// A partial distance-2 coloring of the columns: columns of one color share no row, so one
    /// forward sweep seeded with their sum recovers all their nonzeros directly. Greedy over
    /// several vertex orders, keeping the fewest colors (Gebremedhin, Manne, Pothen, SIAM Review
    /// 2005, §3).
    public func columnColoring() -> Coloring {
        let graph = AdjacencyGraph.columnIntersection(self)
        let candidates = VertexOrdering.allCases.map { graph.greedyColoring(graph.order($0)) } + [graph.dsaturColoring()]
        return candidates.min { $0.count < $1.count } ?? Coloring([])
    }

    /// A partial distance-2 coloring of the rows (one reverse sweep per color).
    public func rowColoring() -> Coloring { transposed().columnColoring() }

    /// A star coloring of a symmetric pattern's variables: one forward-over-reverse sweep per
    /// color recovers the Hessian directly (GMP 2005, §4.1; greedy over several orders).
    public func starColoring() -> Coloring {
        let graph = AdjacencyGraph.symmetric(self)
        return VertexOrdering.allCases.map { graph.greedyStarColoring(graph.order($0)) }.min { $0.count < $1.count }
            ?? Coloring([])
    }
}

/// Slow, obviously correct checks of colorings, for tests.
public enum ColoringCheck {
    /// No two columns of one color have a nonzero in the same row.
    public static func isStructurallyOrthogonal(_ pattern: Pattern, columns coloring: Coloring) -> Bool {
        var colorsInRow = [Set<Int32>](repeating: [], count: pattern.rows)
        for (row, col) in pattern.entries {
            if !colorsInRow[row].insert(coloring.colors[col]).inserted { return false }
        }
        return true
    }

    /// A distance-1 coloring of the symmetric pattern's graph in which every path on four
    /// vertices uses at least three colors.
    public static func isStar(_ pattern: Pattern, _ coloring: Coloring) -> Bool {
        let graph = AdjacencyGraph.symmetric(pattern)
        let c = coloring.colors
        for v in 0..<graph.vertexCount {
            for w in graph.neighbors(of: v) {
                if c[v] == c[Int(w)] { return false }
                for x in graph.neighbors(of: Int(w)) where Int(x) != v {
                    for y in graph.neighbors(of: Int(x)) where y != w && Int(y) != v {
                        if c[v] == c[Int(x)] && c[Int(w)] == c[Int(y)] { return false }
                    }
                }
            }
        }
        return true
    }
}

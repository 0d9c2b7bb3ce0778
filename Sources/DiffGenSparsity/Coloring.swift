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
        // neighbour other than w with w's color" is one lookup. The width grows with the colors
        // in use (rebuilt on doubling); beyond 5·10⁷ entries neighbour lists are scanned instead.
        var width = 8
        var counted = n * width <= 50_000_000
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
            if counted && c >= width {
                // Double the width and recount from the colors so far (v's not yet set).
                width = Swift.max(2 * width, c + 1)
                counted = n * width <= 50_000_000
                neighbourColors = [Int32](repeating: 0, count: counted ? n * width : 0)
                if counted {
                    for x in 0..<n where colors[x] >= 0 {
                        for u in neighbors(of: x) { neighbourColors[Int(u) * width + Int(colors[x])] += 1 }
                    }
                }
            }
            colors[v] = Int32(c)
            if counted { for u in neighbors(of: v) { neighbourColors[Int(u) * width + c] += 1 } }
        }
        return Coloring(colors)
    }
}

extension AdjacencyGraph {
    /// The neighbour-of-neighbour visits greedy star coloring makes in `order`: for each vertex,
    /// the degrees of its neighbours colored before it.
    func starColoringWork(_ order: [Int]) -> Int {
        var position = [Int](repeating: 0, count: vertexCount)
        for (k, v) in order.enumerated() { position[v] = k }
        var work = 0
        for v in 0..<vertexCount {
            for w in neighbors(of: v) where position[Int(w)] < position[v] { work += degree(Int(w)) }
        }
        return work
    }
}

extension Pattern {
    /// A partial distance-2 coloring of the columns: columns of one color share no row, so one
    /// forward sweep seeded with their sum recovers all their nonzeros directly. Greedy natural and
    /// DSATUR orders, keeping the fewest colors (Gebremedhin, Manne, Pothen, SIAM Review
    /// 2005, §3).
    ///
    /// Greedy in natural order first, straight on the compressed arrays; reaching the lower bound
    /// (the most nonzeros in a row) ends the search. Otherwise DSATUR, also on the compressed
    /// arrays, gives up as soon as it needs as many colors. (Largest-first, smallest-last and
    /// incidence-degree orders never beat these two on the reference patterns.)
    public func columnColoring() -> Coloring {
        let byRow = transposed()
        var bound = 0
        for r in 0..<rows { bound = Swift.max(bound, Int(byRow.columnStarts[r + 1] - byRow.columnStarts[r])) }
        var best = greedyColumnColoring(byRow: byRow, order: nil)
        if best.count <= bound { return best }
        if let candidate = dsaturColumnColoring(byRow: byRow, below: best.count) { best = candidate }
        return best
    }

    /// DSATUR for partial distance-2 column coloring, run on the compressed arrays: the next
    /// column is the one whose row-sharing columns show the most distinct colors (ties: more
    /// nonzeros, then lower index). Gives up (nil) as soon as it needs `limit` colors, so it costs
    /// little when it cannot beat the colorings found already.
    func dsaturColumnColoring(byRow: Pattern, below limit: Int) -> Coloring? {
        guard limit > 1, cols * limit <= 50_000_000 else { return nil }
        var colors = [Int32](repeating: -1, count: cols)
        var seen = [Bool](repeating: false, count: cols * limit)
        var saturation = [Int](repeating: 0, count: cols)
        var forbidden = [Int32](repeating: -1, count: limit + 1)
        let lengths = (0..<cols).map { Int(columnStarts[$0 + 1] - columnStarts[$0]) }
        // Bucket queue keyed by (saturation, length): doubly linked lists in flat arrays, so a
        // column moves between buckets in O(1) and nothing goes stale.
        let lengthKeys = (lengths.max() ?? 0) + 1
        var queue = BucketQueue(keys: (limit + 1) * lengthKeys, items: cols)
        for j in (0..<cols).reversed() { queue.insert(j, lengths[j]) }  // lower index first among equals
        var top = (limit + 1) * lengthKeys - 1
        var colored = 0
        while colored < cols {
            while queue.head[top] < 0 { top -= 1 }
            let j = Int(queue.head[top])
            queue.remove(j, top)
            let stamp = Int32(j)
            for k in Int(columnStarts[j])..<Int(columnStarts[j + 1]) {
                let r = Int(rowIndices[k])
                for m in Int(byRow.columnStarts[r])..<Int(byRow.columnStarts[r + 1]) {
                    let c = colors[Int(byRow.rowIndices[m])]
                    if c >= 0 { forbidden[Int(c)] = stamp }
                }
            }
            var c = 0
            while c < limit && forbidden[c] == stamp { c += 1 }
            if c == limit { return nil }
            colors[j] = Int32(c)
            colored += 1
            for k in Int(columnStarts[j])..<Int(columnStarts[j + 1]) {
                let r = Int(rowIndices[k])
                for m in Int(byRow.columnStarts[r])..<Int(byRow.columnStarts[r + 1]) {
                    let u = Int(byRow.rowIndices[m])
                    if colors[u] < 0 && !seen[u * limit + c] {
                        seen[u * limit + c] = true
                        queue.remove(u, saturation[u] * lengthKeys + lengths[u])
                        saturation[u] += 1
                        let key = saturation[u] * lengthKeys + lengths[u]
                        queue.insert(u, key)
                        top = Swift.max(top, key)
                    }
                }
            }
        }
        return Coloring(colors)
    }

    /// Greedy partial distance-2 coloring of the columns in `order` (nil: natural), reading
    /// rows from `byRow` (this pattern transposed) instead of building the intersection graph.
    func greedyColumnColoring(byRow: Pattern, order: [Int]?) -> Coloring {
        var colors = [Int32](repeating: -1, count: cols)
        var forbidden = [Int32](repeating: -1, count: rows + cols + 1)
        columnStarts.withUnsafeBufferPointer { starts in
            rowIndices.withUnsafeBufferPointer { rowsOf in
                byRow.columnStarts.withUnsafeBufferPointer { rowStarts in
                    byRow.rowIndices.withUnsafeBufferPointer { colsOf in
                        colors.withUnsafeMutableBufferPointer { color in
                            forbidden.withUnsafeMutableBufferPointer { forbid in
                                for position in 0..<cols {
                                    let j = order?[position] ?? position
                                    let stamp = Int32(j)
                                    for k in Int(starts[j])..<Int(starts[j + 1]) {
                                        let r = Int(rowsOf[k])
                                        for m in Int(rowStarts[r])..<Int(rowStarts[r + 1]) {
                                            let c = color[Int(colsOf[m])]
                                            if c >= 0 { forbid[Int(c)] = stamp }
                                        }
                                    }
                                    var c = 0
                                    while forbid[c] == stamp { c += 1 }
                                    color[j] = Int32(c)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Coloring(colors)
    }

    /// A partial distance-2 coloring of the rows (one reverse sweep per color).
    public func rowColoring() -> Coloring { transposed().columnColoring() }

    /// A star coloring of a symmetric pattern's variables: one forward-over-reverse sweep per
    /// color recovers the Hessian directly (GMP 2005, §4.1), greedy in largest-first order.
    ///
    /// Largest-first matched or beat every other order (natural, smallest-last, incidence
    /// degree, and the distance-2 coloring) on all reference patterns, so it runs alone — unless
    /// its work would exceed four times natural order's: the work of coloring v is the degrees of
    /// its already-colored neighbours, so coloring a few dense vertices first costs O(n²) (a band
    /// with dense border rows: CasADi's largest-first star colorings take 44 s and 300+ s there)
    /// while coloring them last costs O(n). Natural order runs instead then.
    public func starColoring() -> Coloring {
        let graph = AdjacencyGraph.symmetric(self)
        let largestFirst = graph.order(.largestFirst)
        let work = graph.starColoringWork(largestFirst)
        if work <= 1_000_000 { return graph.greedyStarColoring(largestFirst) }
        let natural = graph.order(.natural)
        let affordable = work <= 4 * graph.starColoringWork(natural) + 1_000_000
        return graph.greedyStarColoring(affordable ? largestFirst : natural)
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

/// Items in buckets by integer key: doubly linked lists in flat arrays (O(1) insert and remove).
private struct BucketQueue {
    var head: [Int32]
    private var next: [Int32]
    private var previous: [Int32]

    init(keys: Int, items: Int) {
        head = [Int32](repeating: -1, count: keys)
        next = [Int32](repeating: -1, count: items)
        previous = [Int32](repeating: -1, count: items)
    }

    mutating func insert(_ item: Int, _ key: Int) {
        next[item] = head[key]
        previous[item] = -1
        if head[key] >= 0 { previous[Int(head[key])] = Int32(item) }
        head[key] = Int32(item)
    }

    mutating func remove(_ item: Int, _ key: Int) {
        if previous[item] >= 0 { next[Int(previous[item])] = next[item] } else { head[key] = next[item] }
        if next[item] >= 0 { previous[Int(next[item])] = previous[item] }
    }
}

@_spi(Scratch) import DiffGenCore

/// A coloring of the columns (or rows, or variables) of a pattern: `colors[v]` in 0..<count.
public struct Coloring: Equatable, Sendable {
    public let colors: [Int32]
    public let count: Int

    /// A coloring given color by color (each in 0..<count).
    public init(_ colors: [Int32]) {
        self.colors = colors
        count = Int(colors.max().map { $0 + 1 } ?? 0)
    }

    /// A coloring whose count is known already.
    init(_ colors: [Int32], count: Int) {
        self.colors = colors
        self.count = count
    }

    /// The members of each color class, ascending.
    public var classes: [[Int]] {
        var out = [[Int]](repeating: [], count: count)
        for (v, c) in colors.enumerated() { out[Int(c)].append(v) }
        return out
    }

    /// The vertices class by class, largest class first (ties: lowest first vertex), or the
    /// classes in the opposite order: the orders iterated greedy recoloring tries (Culberson).
    func classOrder(reversed: Bool) -> [Int] {
        let sorted = classes.sorted { $0.count > $1.count || ($0.count == $1.count && ($0.first ?? 0) < ($1.first ?? 0)) }
        return (reversed ? Array(sorted.reversed()) : sorted).flatMap { $0 }
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
}

extension Pattern {
    /// A partial distance-2 coloring of the columns: columns of one color share no row, so one
    /// forward sweep seeded with their sum recovers all their nonzeros directly. Greedy natural and
    /// DSATUR orders, keeping the fewest colors (Gebremedhin, Manne, Pothen, SIAM Review
    /// 2005, §3).
    ///
    /// The lower bound (the most nonzeros in a row) ends the search wherever it is reached. A row
    /// holding every column forces all colors distinct: that coloring is returned at once (greedy
    /// would spend O(columns²) finding it). Otherwise greedy in natural order runs first, in
    /// O(nonzeros) while it needs at most 64 colors (each row's colors kept as a bit mask); then
    /// DSATUR, which gives up as soon as it cannot beat greedy. (Largest-first, smallest-last,
    /// incidence-degree orders and iterated greedy recoloring never beat these two on the
    /// reference patterns.)
    public func columnColoring() -> Coloring {
        let bound = rowIndices.withUnsafeBufferPointer { rowsOf in
            let lengths = Buffer<Int32>(rows, 0)
            defer { lengths.free() }
            var longest: Int32 = 0
            for r in rowsOf {
                lengths[Int(r)] &+= 1
                longest = Swift.max(longest, lengths[Int(r)])
            }
            return Int(longest)
        }
        if bound == cols { return Coloring((0..<cols).map(Int32.init)) }
        guard let greedy = maskGreedyColumnColoring() else {
            // Beyond 64 colors DSATUR's masks do not apply either.
            return greedyColumnColoring(byRow: transposed())
        }
        if greedy.count <= bound { return greedy }
        return dsaturColumnColoring(byRow: transposed(), below: greedy.count) ?? greedy
    }

    /// Greedy partial distance-2 coloring in natural order with each row's colors as a bit mask,
    /// so a column costs its own nonzeros only; nil if it needs more than 64 colors.
    func maskGreedyColumnColoring() -> Coloring? {
        let rowMask = Buffer<UInt64>(rows, 0)
        defer { rowMask.free() }
        var colors = [Int32](repeating: -1, count: cols)
        var most = 0
        let complete = columnStarts.withUnsafeBufferPointer { starts in
            rowIndices.withUnsafeBufferPointer { rowsOf in
                colors.withUnsafeMutableBufferPointer { colors in
                    for j in 0..<cols {
                        let (first, end) = (Int(starts[j]), Int(starts[j &+ 1]))
                        var used: UInt64 = 0
                        for k in first..<end { used |= rowMask[Int(rowsOf[k])] }
                        if used == ~0 { return false }
                        let c = (~used).trailingZeroBitCount
                        let bit = UInt64(1) << UInt64(c)
                        for k in first..<end { rowMask[Int(rowsOf[k])] |= bit }
                        colors[j] = Int32(truncatingIfNeeded: c)
                        most = Swift.max(most, c &+ 1)
                    }
                    return true
                }
            }
        }
        return complete ? Coloring(colors, count: most) : nil
    }

    /// DSATUR for partial distance-2 column coloring, run on the compressed arrays: the next
    /// column is the one whose row-sharing columns show the most distinct colors (ties: more
    /// nonzeros, then lower index). Gives up (nil) as soon as it needs `limit` colors, so it costs
    /// little when it cannot beat a coloring found already.
    func dsaturColumnColoring(byRow: Pattern, below limit: Int) -> Coloring? {
        guard limit > 1, cols > 0, rows > 0 else { return nil }
        let colors: [Int32]? = columnStarts.withUnsafeBufferPointer { starts in
            rowIndices.withUnsafeBufferPointer { rowsOf in
                byRow.columnStarts.withUnsafeBufferPointer { rowStarts in
                    byRow.rowIndices.withUnsafeBufferPointer { colsOf in
                        Self.dsatur(cols: cols, below: Swift.min(limit, 64), starts: starts.baseAddress!, rowsOf: rowsOf.baseAddress!,
                                    rowStarts: rowStarts.baseAddress!, colsOf: colsOf.baseAddress!)
                    }
                }
            }
        }
        return colors.map(Coloring.init)
    }

    /// DSATUR's loop on raw pointers and raw scratch: it runs per neighbour visit, where checked
    /// indexing and closure-captured state cost several times the work itself. At most 64 colors
    /// (`limit`), so forbidden colors fit one bit mask.
    private static func dsatur(cols: Int, below limit: Int, starts: UnsafePointer<Int32>, rowsOf: UnsafePointer<Int32>,
                               rowStarts: UnsafePointer<Int32>, colsOf: UnsafePointer<Int32>) -> [Int32]? {
        let colors = Buffer<Int32>(cols, -1)
        // The colors each uncolored column's row-sharing columns have: its forbidden colors, whose
        // count is its saturation (all ones once colored, so one test skips colored columns and
        // colors already noted).
        let seenMask = Buffer<UInt64>(cols, 0)
        // Queue key: saturation × lengthKeys + nonzeros (ties go to longer columns); −1 once colored.
        let key = Buffer<Int32>(cols, 0)
        var longest: Int32 = 0
        for j in 0..<cols {
            key[j] = starts[j + 1] &- starts[j]
            longest = Swift.max(longest, key[j])
        }
        let lengthKeys = longest &+ 1
        let keys = (limit + 1) * Int(lengthKeys)
        // Lazy bucket queue: a column is pushed again whenever its key grows, and entries whose key
        // is out of date are skipped when popped. Buckets are stacks linked through one entry
        // array, so a push is two sequential writes.
        let head = Buffer<Int32>(keys, -1)
        var capacity = 8 * cols
        var entryItem = Buffer<Int32>(uninitialized: capacity), entryNext = Buffer<Int32>(uninitialized: capacity)
        var count = 0
        defer {
            for buffer in [colors, key, head, entryItem, entryNext] { buffer.free() }
            seenMask.free()
        }
        for j in (0..<cols).reversed() {  // lower index first among equals
            entryItem[count] = Int32(j)
            entryNext[count] = head[Int(key[j])]
            head[Int(key[j])] = Int32(count)
            count += 1
        }
        var top = keys - 1
        var colored = 0
        while colored < cols {
            while head[top] < 0 { top -= 1 }
            let entry = Int(head[top])
            head[top] = entryNext[entry]
            let j = Int(entryItem[entry])
            if Int(key[j]) != top { continue }  // out of date, or colored (−1)
            // The lowest color none of its row-sharing columns has.
            let c = (~seenMask[j]).trailingZeroBitCount
            if c + 1 >= limit { return nil }
            seenMask[j] = ~0
            key[j] = -1
            colors[j] = Int32(c)
            colored += 1
            // One pass tells the uncolored row-sharing columns (repeats find the color noted).
            let bit = UInt64(1) << UInt64(c)
            // Room for one push per visit below.
            var reach = 0
            for k in Int(starts[j])..<Int(starts[j + 1]) {
                let r = Int(rowsOf[k])
                reach &+= Int(rowStarts[r + 1] &- rowStarts[r])
            }
            if count + reach > capacity {
                capacity = 2 * capacity + reach
                entryItem = entryItem.resized(to: capacity, keeping: count)
                entryNext = entryNext.resized(to: capacity, keeping: count)
            }
            for k in Int(starts[j])..<Int(starts[j + 1]) {
                let r = Int(rowsOf[k])
                for m in Int(rowStarts[r])..<Int(rowStarts[r + 1]) {
                    let u = Int(colsOf[m])
                    let seen = seenMask[u]
                    if seen & bit != 0 { continue }
                    seenMask[u] = seen | bit
                    let grown = key[u] &+ lengthKeys
                    key[u] = grown
                    entryItem[count] = Int32(truncatingIfNeeded: u)
                    entryNext[count] = head[Int(grown)]
                    head[Int(grown)] = Int32(truncatingIfNeeded: count)
                    count &+= 1
                    top = Swift.max(top, Int(grown))
                }
            }
        }
        return Array(UnsafeBufferPointer(start: colors.base, count: cols))
    }

    /// Greedy partial distance-2 coloring of the columns in natural order, reading rows from
    /// `byRow` (this pattern transposed) instead of building the intersection graph: any number
    /// of colors, for patterns beyond the bit masks of `maskGreedyColumnColoring`.
    func greedyColumnColoring(byRow: Pattern) -> Coloring {
        var colors = [Int32](repeating: -1, count: cols)
        var forbidden = [Int32](repeating: -1, count: rows + cols + 1)
        columnStarts.withUnsafeBufferPointer { starts in
            rowIndices.withUnsafeBufferPointer { rowsOf in
                byRow.columnStarts.withUnsafeBufferPointer { rowStarts in
                    byRow.rowIndices.withUnsafeBufferPointer { colsOf in
                        colors.withUnsafeMutableBufferPointer { color in
                            forbidden.withUnsafeMutableBufferPointer { forbid in
                                for j in 0..<cols {
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

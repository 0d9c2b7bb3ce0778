import DiffGenCore

/// A bicoloring of a Jacobian pattern: forward sweeps seeded by column color classes and reverse
/// sweeps seeded by row color classes, each nonzero read directly from one of them.
///
/// Found by splitting off dense rows (or dense columns): the dense rows get a row coloring of
/// their own submatrix and the other rows a column coloring (or the mirror image). This is the
/// dense-row/dense-column case of Coleman–Verma bicoloring (Gebremedhin, Manne, Pothen, SIAM
/// Review 2005, §3.4; Gebremedhin, Tarafdar, Manne, Pothen 2007 give the general star
/// bicoloring). It is deterministic and reaches the optimum on the arrowhead: 3 sweeps where
/// one-sided colorings need n.
public struct Bicoloring: Equatable, Sendable {
    /// Per column: its forward-sweep color, or −1 when no forward sweep needs it.
    public let columnColors: [Int32]
    /// Per row: its reverse-sweep color, or −1 when no reverse sweep needs it.
    public let rowColors: [Int32]
    /// Per nonzero (in the pattern's order): read from the reverse sweep of its row's color
    /// (else from the forward sweep of its column's color).
    public let fromReverse: [Bool]

    public init(columnColors: [Int32], rowColors: [Int32], fromReverse: [Bool]) {
        self.columnColors = columnColors
        self.rowColors = rowColors
        self.fromReverse = fromReverse
    }

    public var forwardSweeps: Int { Int((columnColors.max() ?? -1) + 1) }
    public var reverseSweeps: Int { Int((rowColors.max() ?? -1) + 1) }
    public var sweeps: Int { forwardSweeps + reverseSweeps }
}

extension Pattern {
    /// The bicoloring with the fewest sweeps among splits at several density thresholds, or nil
    /// when none beats both one-sided colorings (`columnColoring`, `rowColoring`).
    public func bicoloring() -> Bicoloring? {
        bicoloring(below: min(columnColoring().count, rowColoring().count))
    }

    /// The bicoloring with the fewest sweeps, if it needs fewer than `limit`.
    public func bicoloring(below limit: Int) -> Bicoloring? {
        var best: Bicoloring? = nil
        var bound = limit
        for candidate in denseRowSplits() + denseColumnSplits() where candidate.sweeps < bound {
            best = candidate
            bound = candidate.sweeps
        }
        return best
    }

    /// Rows with more than τ nonzeros (τ = max/2, max/4, …) to reverse sweeps; the rest forward.
    private func denseRowSplits() -> [Bicoloring] {
        let byRow = transposed()
        let degrees = (0..<rows).map { byRow.rows(inColumn: $0).count }
        return thresholds(degrees).map { isDense in
            let (denseIndex, denseCount) = compactIndex(isDense)
            let sparsePart = Pattern(rows: rows, cols: cols, entries: entries.filter { !isDense[$0.row] })
            let densePart = Pattern(rows: denseCount, cols: cols, entries: entries.filter { isDense[$0.row] }.map { (denseIndex[$0.row], $0.col) })
            let forward = sparsePart.columnColoring()
            let reverse = densePart.rowColoring()
            let rowColors = (0..<rows).map { isDense[$0] ? reverse.colors[denseIndex[$0]] : -1 }
            return Bicoloring(columnColors: forward.colors, rowColors: rowColors, fromReverse: entries.map { isDense[$0.row] })
        }
    }

    /// The mirror image: columns with more than τ nonzeros to forward sweeps; the rest reverse.
    private func denseColumnSplits() -> [Bicoloring] {
        let degrees = (0..<cols).map { rows(inColumn: $0).count }
        return thresholds(degrees).map { isDense in
            let (denseIndex, denseCount) = compactIndex(isDense)
            let sparsePart = Pattern(rows: rows, cols: cols, entries: entries.filter { !isDense[$0.col] })
            let densePart = Pattern(rows: rows, cols: denseCount, entries: entries.filter { isDense[$0.col] }.map { ($0.row, denseIndex[$0.col]) })
            let reverse = sparsePart.rowColoring()
            let forward = densePart.columnColoring()
            let columnColors = (0..<cols).map { isDense[$0] ? forward.colors[denseIndex[$0]] : -1 }
            return Bicoloring(columnColors: columnColors, rowColors: reverse.colors, fromReverse: entries.map { !isDense[$0.col] })
        }
    }

    /// Dense sets for τ = max/2, max/4, … (distinct, nonempty, not everything; at most five).
    private func thresholds(_ degrees: [Int]) -> [[Bool]] {
        guard let most = degrees.max(), most > 2 else { return [] }
        var sets: [[Bool]] = []
        var sizes = Set<Int>()
        var threshold = most / 2
        while threshold >= 1 && sets.count < 5 {
            let isDense = degrees.map { $0 > threshold }
            let size = isDense.lazy.filter { $0 }.count
            if size > 0 && size < degrees.count && sizes.insert(size).inserted { sets.append(isDense) }
            threshold /= 2
        }
        return sets
    }

    /// Positions among the marked entries (−1 elsewhere), and how many are marked.
    private func compactIndex(_ marked: [Bool]) -> ([Int], Int) {
        var index = [Int](repeating: -1, count: marked.count)
        var next = 0
        for (k, m) in marked.enumerated() where m {
            index[k] = next
            next += 1
        }
        return (index, next)
    }
}

extension ColoringCheck {
    /// Every nonzero is alone in what its sweep sums at its position: in its row among the
    /// columns of its forward color, or in its column among the rows of its reverse color.
    public static func isValidBicoloring(_ pattern: Pattern, _ coloring: Bicoloring) -> Bool {
        let entries = pattern.entries
        guard coloring.fromReverse.count == entries.count else { return false }
        var forwardHits: [Int: Int] = [:]  // (row, color) → nonzeros summed there
        var reverseHits: [Int: Int] = [:]  // (col, color)
        for (row, col) in entries {
            let cc = coloring.columnColors[col], rc = coloring.rowColors[row]
            if cc >= 0 { forwardHits[row * (pattern.cols + 1) + Int(cc), default: 0] += 1 }
            if rc >= 0 { reverseHits[col * (pattern.rows + 1) + Int(rc), default: 0] += 1 }
        }
        for (k, (row, col)) in entries.enumerated() {
            if coloring.fromReverse[k] {
                let rc = coloring.rowColors[row]
                guard rc >= 0, reverseHits[col * (pattern.rows + 1) + Int(rc)] == 1 else { return false }
            } else {
                let cc = coloring.columnColors[col]
                guard cc >= 0, forwardHits[row * (pattern.cols + 1) + Int(cc)] == 1 else { return false }
            }
        }
        return true
    }
}

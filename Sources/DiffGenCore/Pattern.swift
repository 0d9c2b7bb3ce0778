/// Structural nonzeros of a matrix in compressed-column form with Int32 indices (CasADi's layout):
/// the rows of column j are `rowIndices[columnStarts[j] ..< columnStarts[j+1]]`, sorted.
public struct Pattern: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let cols: Int
    public let columnStarts: [Int32]
    public let rowIndices: [Int32]

    /// Number of structural nonzeros.
    public var nonzeroCount: Int { rowIndices.count }

    /// From compressed-column arrays (checked: sorted, in range).
    public init(rows: Int, cols: Int, columnStarts: [Int32], rowIndices: [Int32]) {
        precondition(columnStarts.count == cols + 1 && columnStarts.first == 0 && Int(columnStarts.last!) == rowIndices.count,
                     "column starts do not describe \(rowIndices.count) nonzeros in \(cols) columns")
        for j in 0..<cols {
            var previous: Int32 = -1
            for k in Int(columnStarts[j])..<Int(columnStarts[j + 1]) {
                precondition(rowIndices[k] > previous && Int(rowIndices[k]) < rows, "rows of column \(j) must be sorted, distinct and below \(rows)")
                previous = rowIndices[k]
            }
        }
        self.rows = rows
        self.cols = cols
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
    }

    /// From (row, column) pairs in any order; duplicates count once.
    public init(rows: Int, cols: Int, entries: [(row: Int, col: Int)]) {
        var counts = [Int32](repeating: 0, count: cols + 1)
        let sorted = entries.sorted { ($0.col, $0.row) < ($1.col, $1.row) }
        var rowIndices: [Int32] = []
        rowIndices.reserveCapacity(sorted.count)
        var last: (Int, Int)? = nil
        for entry in sorted {
            precondition(entry.row >= 0 && entry.row < rows && entry.col >= 0 && entry.col < cols, "entry (\(entry.row), \(entry.col)) outside \(rows)×\(cols)")
            if let last, last == (entry.row, entry.col) { continue }
            last = (entry.row, entry.col)
            rowIndices.append(Int32(entry.row))
            counts[entry.col + 1] += 1
        }
        for j in 0..<cols { counts[j + 1] += counts[j] }
        self.init(rows: rows, cols: cols, columnStarts: counts, rowIndices: rowIndices)
    }

    /// Every entry of a rows×cols matrix.
    public static func dense(rows: Int, cols: Int) -> Pattern {
        Pattern(rows: rows, cols: cols, columnStarts: (0...cols).map { Int32($0 * rows) },
                rowIndices: (0..<(rows * cols)).map { Int32($0 % max(rows, 1)) })
    }

    /// The rows of column `j`.
    public func rows(inColumn j: Int) -> ArraySlice<Int32> {
        rowIndices[Int(columnStarts[j])..<Int(columnStarts[j + 1])]
    }

    /// The position of (row, col) among the nonzeros, or nil for a structural zero.
    public func index(row: Int, col: Int) -> Int? {
        var (lo, hi) = (Int(columnStarts[col]), Int(columnStarts[col + 1]))
        while lo < hi {
            let mid = (lo + hi) / 2
            if rowIndices[mid] < Int32(row) { lo = mid + 1 } else { hi = mid }
        }
        return lo < Int(columnStarts[col + 1]) && rowIndices[lo] == Int32(row) ? lo : nil
    }

    /// All (row, col) pairs in storage order.
    public var entries: [(row: Int, col: Int)] {
        var out: [(row: Int, col: Int)] = []
        out.reserveCapacity(nonzeroCount)
        for j in 0..<cols { for r in rows(inColumn: j) { out.append((Int(r), j)) } }
        return out
    }

    /// The transpose, by a counting sort: O(nonzeros + rows + cols).
    public func transposed() -> Pattern {
        let nonzeros = rowIndices.count
        var starts = [Int32](repeating: 0, count: rows + 1)
        var indices = [Int32](unsafeUninitializedCapacity: Swift.max(nonzeros, 1)) { _, count in count = nonzeros }
        let next = UnsafeMutablePointer<Int32>.allocate(capacity: rows + 1)
        defer { next.deallocate() }
        // Raw pointers: a transpose precedes every coloring, and checked indexing tripled its time.
        columnStarts.withUnsafeBufferPointer { colStarts in
            rowIndices.withUnsafeBufferPointer { rowOf in
                starts.withUnsafeMutableBufferPointer { starts in
                    indices.withUnsafeMutableBufferPointer { indices in
                        for k in 0..<nonzeros { starts[Int(rowOf[k]) &+ 1] &+= 1 }
                        for r in 0..<rows { starts[r &+ 1] &+= starts[r] }
                        next.initialize(from: starts.baseAddress!, count: rows + 1)
                        for j in 0..<cols {
                            for k in Int(colStarts[j])..<Int(colStarts[j + 1]) {
                                let r = Int(rowOf[k])
                                indices[Int(next[r])] = Int32(truncatingIfNeeded: j)  // columns in order: each row's list is sorted
                                next[r] &+= 1
                            }
                        }
                    }
                }
            }
        }
        return Pattern(uncheckedRows: cols, cols: rows, columnStarts: starts, rowIndices: indices)
    }

    /// Arrays already known to be valid (built by this type's own algorithms).
    package init(uncheckedRows rows: Int, cols: Int, columnStarts: [Int32], rowIndices: [Int32]) {
        self.rows = rows
        self.cols = cols
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
    }

    /// Entries in either pattern: a merge of the sorted columns, O(nonzeros).
    public func union(_ other: Pattern) -> Pattern {
        precondition(rows == other.rows && cols == other.cols, "patterns of different shapes")
        var starts = [Int32](repeating: 0, count: cols + 1)
        var indices: [Int32] = []
        indices.reserveCapacity(max(nonzeroCount, other.nonzeroCount))
        for j in 0..<cols {
            var (a, aEnd) = (Int(columnStarts[j]), Int(columnStarts[j + 1]))
            var (b, bEnd) = (Int(other.columnStarts[j]), Int(other.columnStarts[j + 1]))
            while a < aEnd || b < bEnd {
                let ra = a < aEnd ? rowIndices[a] : Int32.max
                let rb = b < bEnd ? other.rowIndices[b] : Int32.max
                indices.append(min(ra, rb))
                if ra <= rb { a += 1 }
                if rb <= ra { b += 1 }
            }
            starts[j + 1] = Int32(indices.count)
        }
        return Pattern(uncheckedRows: rows, cols: cols, columnStarts: starts, rowIndices: indices)
    }

    /// CasADi's sparsity array: [nrow, ncol, colind…, row…].
    public var casadiArray: [Int] {
        [rows, cols] + columnStarts.map(Int.init) + rowIndices.map(Int.init)
    }

    /// A text picture, `*` for a nonzero and `.` for a structural zero (for debugging).
    public var spy: String {
        var grid = [[Character]](repeating: [Character](repeating: ".", count: cols), count: rows)
        for (r, c) in entries { grid[r][c] = "*" }
        return grid.map { String($0) }.joined(separator: "\n")
    }

    public var description: String { "\(rows)×\(cols) pattern, \(nonzeroCount) nonzeros" }
}

/// A sparse matrix of expressions: a pattern and one node per structural nonzero (storage order).
public struct SparseMatrix: CustomStringConvertible {
    public let context: ExprContext
    public let pattern: Pattern
    public let nonzeros: [NodeID]

    public init(pattern: Pattern, nonzeros: [NodeID], in context: ExprContext) {
        precondition(nonzeros.count == pattern.nonzeroCount, "\(nonzeros.count) nonzeros for \(pattern)")
        self.context = context
        self.pattern = pattern
        self.nonzeros = nonzeros
    }

    public var rows: Int { pattern.rows }
    public var cols: Int { pattern.cols }

    /// Entry (i, j); the constant 0 for a structural zero.
    public subscript(i: Int, j: Int) -> Expr {
        guard let k = pattern.index(row: i, col: j) else { return context.constant(0) }
        return Expr(node: nonzeros[k], in: context)
    }

    /// The same matrix with every structural zero spelled as the constant 0.
    public func dense() -> Matrix {
        let zero = context.constant(0).id
        var ids = [NodeID](repeating: zero, count: rows * cols)
        for (k, entry) in pattern.entries.enumerated() { ids[entry.row + entry.col * rows] = nonzeros[k] }
        return Matrix(nodes: ids, rows: rows, cols: cols, in: context)
    }

    public var description: String { "sparse \(pattern)" }
}

/// Something a `Function` can output: a dense `Matrix` or a `SparseMatrix`.
public protocol FunctionOutput {
    var context: ExprContext { get }
    /// The output's structure (dense for a `Matrix`).
    var outputPattern: Pattern { get }
    /// One node per structural nonzero, in storage order.
    var outputNodes: [NodeID] { get }
}

extension Matrix: FunctionOutput {
    public var outputPattern: Pattern { .dense(rows: rows, cols: cols) }
    public var outputNodes: [NodeID] { ids }
}

extension SparseMatrix: FunctionOutput {
    public var outputPattern: Pattern { pattern }
    public var outputNodes: [NodeID] { nonzeros }
}

/// A dense matrix of expressions, stored column-major (CasADi's order).
///
/// An entry that is the literal constant zero (either sign) is a *structural zero*: matrix
/// products skip it, as sparse linear algebra does, so `0 * Inf` never arises from a zero block
/// of a transform. Operations whose shapes do not fit throw `ShapeError`.
public struct Matrix: CustomStringConvertible {
    public let context: ExprContext
    public let rows: Int
    public let cols: Int
    /// Node ids, column-major: entry (i, j) is `ids[i + j*rows]`.
    public private(set) var ids: [NodeID]

    init(_ context: ExprContext, rows: Int, cols: Int, ids: [NodeID]) {
        precondition(ids.count == rows * cols)
        self.context = context
        self.rows = rows
        self.cols = cols
        self.ids = ids
    }

    /// A matrix from rows of expressions. Throws when the rows have different lengths.
    public init(rows elements: [[Expr]]) throws {
        guard let first = elements.first?.first else {
            throw ShapeError("matrix literal", "needs at least one element")
        }
        let cols = elements[0].count
        for (i, row) in elements.enumerated() where row.count != cols {
            throw ShapeError("matrix literal", "row \(i) has \(row.count) entries, row 0 has \(cols)")
        }
        var ids: [NodeID] = []
        ids.reserveCapacity(elements.count * cols)
        for j in 0..<cols {
            for row in elements {
                precondition(row[j].context === first.context, "expressions belong to different ExprContexts")
                ids.append(row[j].id)
            }
        }
        self.init(first.context, rows: elements.count, cols: cols, ids: ids)
    }

    /// A matrix over existing nodes of `context`'s graph, given column-major.
    public init(nodes: [NodeID], rows: Int, cols: Int, in context: ExprContext) {
        precondition(nodes.count == rows * cols, "\(nodes.count) nodes do not fill a \(rows)×\(cols) matrix")
        let count = context.graph.count
        precondition(nodes.allSatisfy { $0.raw >= 0 && $0.index < count }, "a node is not in this context's graph")
        self.init(context, rows: rows, cols: cols, ids: nodes)
    }

    /// Rows known to be rectangular (internal builders with fixed shapes).
    init(uncheckedRows elements: [[Expr]]) {
        let context = elements[0][0].context
        let cols = elements[0].count
        var ids: [NodeID] = []
        for j in 0..<cols {
            for row in elements {
                precondition(row.count == cols)
                ids.append(row[j].id)
            }
        }
        self.init(context, rows: elements.count, cols: cols, ids: ids)
    }

    /// A column vector.
    public init(column elements: [Expr]) throws {
        try self.init(rows: elements.map { [$0] })
    }

    /// A single expression as a 1×1 matrix.
    public init(_ scalar: Expr) {
        self.init(scalar.context, rows: 1, cols: 1, ids: [scalar.id])
    }

    /// A matrix of constants, given by rows.
    public init(_ context: ExprContext, constants: [[Double]]) throws {
        try self.init(rows: constants.map { $0.map(context.constant) })
    }

    /// A `rows`×`cols` matrix with every entry `value`.
    public init(_ context: ExprContext, rows: Int, cols: Int, filledWith value: Double = 0) {
        self.init(context, rows: rows, cols: cols, ids: Array(repeating: context.constant(value).id, count: rows * cols))
    }

    /// The n×n identity.
    public static func identity(_ n: Int, in context: ExprContext) -> Matrix {
        var m = Matrix(context, rows: n, cols: n)
        let one = context.constant(1).id
        for i in 0..<n { m.ids[i + i * n] = one }
        return m
    }

    /// Number of entries.
    public var count: Int { ids.count }

    /// (rows, cols).
    public var shape: (rows: Int, cols: Int) { (rows, cols) }

    /// True for an n×1 or 1×n matrix.
    public var isVector: Bool { rows == 1 || cols == 1 }

    /// The entries, column-major.
    public var elements: [Expr] { ids.map { Expr(context, $0) } }

    public subscript(i: Int, j: Int) -> Expr {
        get {
            checkIndex(i, j)
            return Expr(context, ids[i + j * rows])
        }
        set {
            checkIndex(i, j)
            precondition(newValue.context === context, "expression belongs to another ExprContext")
            ids[i + j * rows] = newValue.id
        }
    }

    /// Entry `k` in column-major order (for vectors: the k-th element).
    public subscript(k: Int) -> Expr {
        get {
            precondition(k >= 0 && k < count, "index \(k) out of range for \(rows)×\(cols) matrix")
            return Expr(context, ids[k])
        }
        set {
            precondition(k >= 0 && k < count, "index \(k) out of range for \(rows)×\(cols) matrix")
            precondition(newValue.context === context, "expression belongs to another ExprContext")
            ids[k] = newValue.id
        }
    }

    /// The block of the given rows and columns.
    public subscript(rowRange: Range<Int>, colRange: Range<Int>) -> Matrix {
        precondition(rowRange.lowerBound >= 0 && rowRange.upperBound <= rows
                     && colRange.lowerBound >= 0 && colRange.upperBound <= cols,
                     "block \(rowRange)×\(colRange) out of range for \(rows)×\(cols) matrix")
        var block: [NodeID] = []
        block.reserveCapacity(rowRange.count * colRange.count)
        for j in colRange {
            for i in rowRange { block.append(ids[i + j * rows]) }
        }
        return Matrix(context, rows: rowRange.count, cols: colRange.count, ids: block)
    }

    /// Elements `range` of a vector, keeping its orientation.
    public subscript(range: Range<Int>) -> Matrix {
        precondition(isVector, "a \(rows)×\(cols) matrix is not a vector")
        return cols == 1 ? self[range, 0..<1] : self[0..<1, range]
    }

    /// Row `i` as a 1×cols matrix.
    public func row(_ i: Int) -> Matrix { self[i..<(i + 1), 0..<cols] }

    /// Column `j` as a rows×1 matrix.
    public func column(_ j: Int) -> Matrix { self[0..<rows, j..<(j + 1)] }

    /// True when entry `k` (column-major) is a structural zero.
    public func isStructuralZero(_ k: Int) -> Bool { context.graph.constantValue(ids[k]) == 0 }

    public var description: String {
        var lines = ["\(rows)×\(cols) matrix:"]
        for i in 0..<rows {
            let row = (0..<cols).map { ids[i + $0 * rows].description }
            lines.append("  [" + row.joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n")
    }

    private func checkIndex(_ i: Int, _ j: Int) {
        precondition(i >= 0 && i < rows && j >= 0 && j < cols,
                     "index (\(i), \(j)) out of range for \(rows)×\(cols) matrix")
    }
}

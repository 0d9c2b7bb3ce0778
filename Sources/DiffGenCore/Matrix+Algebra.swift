// Linear algebra on `Matrix`. Shape mismatches throw `ShapeError`; products skip structural zeros.

extension Matrix {
    private func map(_ transform: (Expr) -> Expr) -> Matrix {
        Matrix(context, rows: rows, cols: cols, ids: ids.map { transform(Expr(context, $0)).id })
    }

    private func zip(_ other: Matrix, _ operation: String, _ combine: (Expr, Expr) -> Expr) throws -> Matrix {
        precondition(other.context === context, "matrices belong to different ExprContexts")
        guard rows == other.rows && cols == other.cols else {
            throw ShapeError(operation, "\(ShapeError.shape(rows, cols)) and \(ShapeError.shape(other.rows, other.cols))")
        }
        var out: [NodeID] = []
        out.reserveCapacity(count)
        for k in 0..<count { out.append(combine(Expr(context, ids[k]), Expr(context, other.ids[k])).id) }
        return Matrix(context, rows: rows, cols: cols, ids: out)
    }

    public static func + (x: Matrix, y: Matrix) throws -> Matrix { try x.zip(y, "addition", +) }
    public static func - (x: Matrix, y: Matrix) throws -> Matrix { try x.zip(y, "subtraction", -) }
    public static prefix func - (x: Matrix) -> Matrix { x.map { -$0 } }

    /// Entry-wise product.
    public func hadamard(_ other: Matrix) throws -> Matrix { try zip(other, "entry-wise product", *) }

    public static func * (s: Expr, x: Matrix) -> Matrix { x.map { s * $0 } }
    public static func * (x: Matrix, s: Expr) -> Matrix { x.map { $0 * s } }
    public static func * (s: Double, x: Matrix) -> Matrix { x.map { s * $0 } }
    public static func * (x: Matrix, s: Double) -> Matrix { x.map { $0 * s } }
    public static func / (x: Matrix, s: Expr) -> Matrix { x.map { $0 / s } }
    public static func / (x: Matrix, s: Double) -> Matrix { x.map { $0 / s } }

    /// Matrix product. Each entry sums its nonzero terms left to right; structural zeros are
    /// skipped, and an entry with no nonzero term is the constant 0.
    public static func * (x: Matrix, y: Matrix) throws -> Matrix {
        precondition(x.context === y.context, "matrices belong to different ExprContexts")
        guard x.cols == y.rows else {
            throw ShapeError("matrix product", "\(ShapeError.shape(x.rows, x.cols)) times \(ShapeError.shape(y.rows, y.cols)): inner dimensions \(x.cols) and \(y.rows) differ")
        }
        let context = x.context
        let zero = context.constant(0).id
        var out = [NodeID](repeating: zero, count: x.rows * y.cols)
        context.withGraph { graph in
            for j in 0..<y.cols {
                for i in 0..<x.rows {
                    var sum: NodeID? = nil
                    for k in 0..<x.cols {
                        let xik = x.ids[i + k * x.rows], ykj = y.ids[k + j * y.rows]
                        if graph.constantValue(xik) == 0 || graph.constantValue(ykj) == 0 { continue }
                        let term = graph.make(.mul, xik, ykj)
                        sum = sum.map { graph.make(.add, $0, term) } ?? term
                    }
                    if let sum { out[i + j * x.rows] = sum }
                }
            }
        }
        return Matrix(context, rows: x.rows, cols: y.cols, ids: out)
    }

    /// The transpose.
    public func transposed() -> Matrix {
        var out: [NodeID] = []
        out.reserveCapacity(count)
        for i in 0..<rows {
            for j in 0..<cols { out.append(ids[i + j * rows]) }
        }
        return Matrix(context, rows: cols, cols: rows, ids: out)
    }

    /// Sum of all entries (left to right in column-major order; structural zeros skipped).
    public func sum() -> Expr {
        var total: Expr? = nil
        for k in 0..<count where !isStructuralZero(k) {
            let e = Expr(context, ids[k])
            total = total.map { $0 + e } ?? e
        }
        return total ?? context.constant(0)
    }

    /// The inner product of two vectors of equal length (either orientation).
    public func dot(_ other: Matrix) throws -> Expr {
        guard isVector, other.isVector, count == other.count else {
            throw ShapeError("dot product", "needs two vectors of equal length, got \(ShapeError.shape(rows, cols)) and \(ShapeError.shape(other.rows, other.cols))")
        }
        let column = Matrix(other.context, rows: other.count, cols: 1, ids: other.ids)
        return try (Matrix(context, rows: 1, cols: count, ids: ids) * column)[0]
    }

    /// The cross product of two 3-vectors, as a 3×1 column.
    public func cross(_ other: Matrix) throws -> Matrix {
        guard isVector, other.isVector, count == 3, other.count == 3 else {
            throw ShapeError("cross product", "needs two 3-vectors, got \(ShapeError.shape(rows, cols)) and \(ShapeError.shape(other.rows, other.cols))")
        }
        let (a, b) = (self, other)
        return try Matrix(column: [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ])
    }

    /// The Euclidean (Frobenius) norm: `sqrt` of the sum of squares.
    public func norm() -> Expr { sqrt(map { sq($0) }.sum()) }

    /// Stacks matrices with equal column counts on top of each other.
    public static func vertical(_ parts: [Matrix]) throws -> Matrix {
        guard let first = parts.first else { throw ShapeError("vertical concatenation", "needs at least one matrix") }
        for (k, part) in parts.enumerated() where part.cols != first.cols {
            throw ShapeError("vertical concatenation", "part \(k) is \(ShapeError.shape(part.rows, part.cols)), part 0 has \(first.cols) columns")
        }
        return try horizontal(parts.map { $0.transposed() }).transposed()
    }

    /// Places matrices with equal row counts side by side.
    public static func horizontal(_ parts: [Matrix]) throws -> Matrix {
        guard let first = parts.first else { throw ShapeError("horizontal concatenation", "needs at least one matrix") }
        for (k, part) in parts.enumerated() where part.rows != first.rows {
            throw ShapeError("horizontal concatenation", "part \(k) is \(ShapeError.shape(part.rows, part.cols)), part 0 has \(first.rows) rows")
        }
        return Matrix(first.context, rows: first.rows, cols: parts.reduce(0) { $0 + $1.cols }, ids: parts.flatMap(\.ids))
    }

    /// Reinterprets the entries (column-major) as a `rows`×`cols` matrix.
    public func reshaped(rows newRows: Int, cols newCols: Int) throws -> Matrix {
        guard newRows * newCols == count, newRows >= 0, newCols >= 0 else {
            throw ShapeError("reshape", "\(ShapeError.shape(rows, cols)) has \(count) entries, \(ShapeError.shape(newRows, newCols)) needs \(newRows * newCols)")
        }
        return Matrix(context, rows: newRows, cols: newCols, ids: ids)
    }

    /// Applies an elementary function to every entry.
    public func applying(_ function: (Expr) -> Expr) -> Matrix { map(function) }
}

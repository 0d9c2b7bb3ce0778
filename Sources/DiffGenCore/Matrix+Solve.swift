// Small dense linear solves inside the graph, so a whole Newton or damped-least-squares step is
// one generated function with no library call, and derivatives flow through it.

extension Matrix {
    /// The lower-triangular Cholesky factor L of this symmetric positive definite matrix
    /// (A = L·Lᵀ), from its lower triangle. Structural zeros of A stay zeros where the
    /// factorization keeps them.
    /// - Throws: `ShapeError` when the matrix is not square.
    public func cholesky() throws -> Matrix {
        guard rows == cols else { throw ShapeError("Cholesky factorization", "a \(rows)×\(cols) matrix is not square") }
        let n = rows
        var l = Matrix(context, rows: n, cols: n)
        for j in 0..<n {
            var diagonal = self[j, j]
            for k in 0..<j where !l.isStructuralZero(j + n * k) { diagonal = diagonal - sq(l[j, k]) }
            let pivot = sqrt(diagonal)
            l[j, j] = pivot
            for i in (j + 1)..<max(j + 1, n) {
                var entry = self[i, j]
                for k in 0..<j where !l.isStructuralZero(i + n * k) && !l.isStructuralZero(j + n * k) {
                    entry = entry - l[i, k] * l[j, k]
                }
                if context.graph.constantValue(entry.id) != 0 { l[i, j] = entry / pivot }
            }
        }
        return l
    }

    /// x with A·x = b for this symmetric positive definite A, by Cholesky: L·y = b, Lᵀ·x = y.
    /// - Throws: `ShapeError` when the shapes do not fit.
    public func choleskySolve(_ b: Matrix) throws -> Matrix {
        guard b.rows == rows else { throw ShapeError("Cholesky solve", "a \(rows)×\(cols) matrix and a right-hand side of \(b.rows) rows") }
        let l = try cholesky()
        return try l.transposed().backSubstitution(try l.forwardSubstitution(b))
    }

    /// x with A·x = b for this square A, by Householder QR (no pivoting, stable for any
    /// well-conditioned A; a singular A gives Inf or NaN, as a division by zero does).
    /// - Throws: `ShapeError` when the shapes do not fit.
    public func solve(_ b: Matrix) throws -> Matrix {
        guard rows == cols else { throw ShapeError("solve", "a \(rows)×\(cols) matrix is not square") }
        guard b.rows == rows else { throw ShapeError("solve", "a \(rows)×\(cols) matrix and a right-hand side of \(b.rows) rows") }
        let n = rows
        var r = self, y = b
        for k in 0..<n {
            // Householder vector v = x + sign(x₀)·‖x‖·e₀ for x = R[k..<n, k]; applied to R and y.
            let x = r[k..<n, k..<(k + 1)]
            let norm = x.norm()
            let alpha = copysign(norm, x[0])
            var v = x
            v[0] = x[0] + alpha
            let vv = try v.dot(v)
            func reflect(_ m: Matrix, _ columns: Range<Int>) throws -> Matrix {
                var out = m
                for j in columns {
                    let column = m[k..<n, j..<(j + 1)]
                    let scale = 2 * (try v.dot(column)) / vv
                    for i in 0..<(n - k) { out[k + i, j] = column[i] - scale * v[i] }
                }
                return out
            }
            r = try reflect(r, k..<n)
            y = try reflect(y, 0..<y.cols)
        }
        return try r.backSubstitution(y)
    }

    /// x with L·x = b for this lower-triangular L.
    func forwardSubstitution(_ b: Matrix) throws -> Matrix {
        var x = b
        for c in 0..<b.cols {
            for i in 0..<rows {
                var entry = b[i, c]
                for k in 0..<i where !isStructuralZero(i + rows * k) { entry = entry - self[i, k] * x[k, c] }
                x[i, c] = entry / self[i, i]
            }
        }
        return x
    }

    /// x with U·x = b for this upper-triangular U.
    func backSubstitution(_ b: Matrix) throws -> Matrix {
        var x = b
        for c in 0..<b.cols {
            for i in stride(from: rows - 1, through: 0, by: -1) {
                var entry = b[i, c]
                for k in (i + 1)..<max(i + 1, rows) where !isStructuralZero(i + rows * k) { entry = entry - self[i, k] * x[k, c] }
                x[i, c] = entry / self[i, i]
            }
        }
        return x
    }
}

import DiffGenCore

/// What an expression of a model evaluates to: a number known while the model is read (a
/// parameter, a loop variable, a literal, or arithmetic on them), or a matrix of expressions
/// (a scalar is 1×1), or the sparse result of a sparse derivative.
enum Value {
    case number(Double)
    case matrix(Matrix)
    case sparse(SparseMatrix)

    var shape: (rows: Int, cols: Int) {
        switch self {
        case .number: return (1, 1)
        case .matrix(let m): return (m.rows, m.cols)
        case .sparse(let s): return (s.rows, s.cols)
        }
    }

    var shapeText: String { "\(shape.rows)×\(shape.cols)" }

    /// The value as a dense matrix of expressions in `context`.
    func matrix(in context: ExprContext) -> Matrix {
        switch self {
        case .number(let v): return Matrix(context.constant(v))
        case .matrix(let m): return m
        case .sparse(let s): return s.dense()
        }
    }
}

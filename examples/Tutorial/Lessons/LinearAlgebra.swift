import CLAPACK

/// The tutorial's linear algebra, all from LAPACK (Debian's liblapack-dev through LAPACKE):
/// symmetric eigendecompositions and linear solves.
public enum LinearAlgebra {
    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns, column-major) of the
    /// symmetric n×n matrix `a` (column-major), by LAPACK's dsyev.
    public static func symmetricEigen(_ a: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        precondition(a.count == n * n, "\(a.count) entries for \(n)×\(n)")
        var vectors = a
        var values = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyev(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(n), &vectors, Int32(n), &values)
        precondition(info == 0, "dsyev failed: info \(info)")
        return (values, vectors)
    }

    /// x with A x = b for a symmetric positive definite A (Cholesky, dposv); nil when A is not
    /// positive definite.
    public static func solvePositiveDefinite(_ a: [Double], _ b: [Double]) -> [Double]? {
        let n = b.count
        var (factor, x) = (a, b)
        let info = LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, &factor, Int32(n), &x, Int32(n))
        return info == 0 ? x : nil
    }

    /// x with A x = b for a symmetric, possibly indefinite A (Bunch–Kaufman, dsysv); nil when A is singular.
    public static func solveSymmetric(_ a: [Double], _ b: [Double]) -> [Double]? {
        let n = b.count
        var (factor, x) = (a, b)
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dsysv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, &factor, Int32(n), &pivots, &x, Int32(n))
        return info == 0 ? x : nil
    }
}

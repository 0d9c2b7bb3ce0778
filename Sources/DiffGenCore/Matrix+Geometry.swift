#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Rotations and homogeneous transforms, so kinematic chains read like the math.

/// `(cos θ, sin θ)` with exact values at multiples of π/2, so fixed joint twists of ±π/2 give
/// structural zeros and ones instead of `cos(π/2) = 6.1e-17`.
public func exactCosSin(_ angle: Double) -> (cos: Double, sin: Double) {
    let quarterTurns = angle / (Double.pi / 2)
    let nearest = quarterTurns.rounded()
    if Swift.abs(quarterTurns - nearest) < 1e-12 {
        switch ((Int(nearest) % 4) + 4) % 4 {
        case 0: return (1, 0)
        case 1: return (0, 1)
        case 2: return (-1, 0)
        default: return (0, -1)
        }
    }
    return (_cos(angle), _sin(angle))
}

private func _cos(_ x: Double) -> Double { cos(x) }
private func _sin(_ x: Double) -> Double { sin(x) }

/// `e * c` for a fixed link parameter `c`, with the structural cases exact: a zero parameter
/// gives a structural zero (the DH matrix has that entry by definition), ±1 gives ±e.
private func scaled(_ e: Expr, _ c: Double) -> Expr {
    if c == 0 { return e.context.constant(0) }
    if c == 1 { return e }
    if c == -1 { return -e }
    return e * c
}

extension Matrix {
    /// 3×3 rotation about x by `angle`.
    public static func rotationX(_ angle: Expr) -> Matrix {
        rotation(cos(angle), sin(angle), axis: 0)
    }

    /// 3×3 rotation about y by `angle`.
    public static func rotationY(_ angle: Expr) -> Matrix {
        rotation(cos(angle), sin(angle), axis: 1)
    }

    /// 3×3 rotation about z by `angle`.
    public static func rotationZ(_ angle: Expr) -> Matrix {
        rotation(cos(angle), sin(angle), axis: 2)
    }

    /// 3×3 rotation about a coordinate axis (0 = x, 1 = y, 2 = z) given its cosine and sine.
    public static func rotation(_ c: Expr, _ s: Expr, axis: Int) -> Matrix {
        precondition((0...2).contains(axis), "axis must be 0, 1 or 2")
        let context = c.context
        var r = Matrix.identity(3, in: context)
        let (p, q) = ((axis + 1) % 3, (axis + 2) % 3)
        r[p, p] = c
        r[p, q] = -s
        r[q, p] = s
        r[q, q] = c
        return r
    }

    /// 4×4 homogeneous transform from a 3×3 rotation and a 3-vector translation.
    public static func homogeneous(rotation r: Matrix, translation t: Matrix) throws -> Matrix {
        guard r.rows == 3, r.cols == 3, t.isVector, t.count == 3 else {
            throw ShapeError("homogeneous transform", "needs a 3×3 rotation and a 3-vector, got \(ShapeError.shape(r.rows, r.cols)) and \(ShapeError.shape(t.rows, t.cols))")
        }
        let context = r.context
        let column = try t.reshaped(rows: 3, cols: 1)
        let top = try Matrix.horizontal([r, column])
        let bottom = try Matrix(context, constants: [[0, 0, 0, 1]])
        return try Matrix.vertical([top, bottom])
    }

    /// 4×4 pure translation.
    public static func translation(_ x: Expr, _ y: Expr, _ z: Expr) -> Matrix {
        var m = Matrix.identity(4, in: x.context)
        m[0, 3] = x
        m[1, 3] = y
        m[2, 3] = z
        return m
    }

    /// Link transform in the modified (Craig) Denavit–Hartenberg convention:
    /// `RotX(alpha) · TransX(a) · RotZ(theta) · TransZ(d)`.
    ///
    /// `a`, `d` and `alpha` are fixed link parameters; cos/sin of `alpha` are exact at multiples
    /// of π/2 (see `exactCosSin`).
    public static func modifiedDH(a: Double, d: Double, alpha: Double, theta: Expr) -> Matrix {
        let context = theta.context
        let (ca, sa) = exactCosSin(alpha)
        let (ct, st) = (cos(theta), sin(theta))
        let k = context.constant
        return Matrix(uncheckedRows: [
            [ct, -st, k(0), k(a)],
            [scaled(st, ca), scaled(ct, ca), k(-sa), k(-d * sa)],
            [scaled(st, sa), scaled(ct, sa), k(ca), k(d * ca)],
            [k(0), k(0), k(0), k(1)],
        ])
    }

    /// Link transform in the standard (distal) Denavit–Hartenberg convention:
    /// `RotZ(theta) · TransZ(d) · TransX(a) · RotX(alpha)`.
    public static func standardDH(a: Double, d: Double, alpha: Double, theta: Expr) -> Matrix {
        let context = theta.context
        let (ca, sa) = exactCosSin(alpha)
        let (ct, st) = (cos(theta), sin(theta))
        let k = context.constant
        return Matrix(uncheckedRows: [
            [ct, -scaled(st, ca), scaled(st, sa), scaled(ct, a)],
            [st, scaled(ct, ca), -scaled(ct, sa), scaled(st, a)],
            [k(0), k(sa), k(ca), k(d)],
            [k(0), k(0), k(0), k(1)],
        ])
    }
}

extension Matrix {
    /// 3×3 rotation by `angle` about the constant unit axis `axis`: exactly `rotationX/Y/Z` for a
    /// coordinate axis (the negative ones by the negated sine), else Rodrigues' formula
    /// `c·I + s·[a]× + (1 − c)·a·aᵀ` with the axis products folded into constants, so it costs
    /// one cosine, one sine, one `1 − c` and a product per entry.
    public static func rotation(axis: (Double, Double, Double), angle: Expr) -> Matrix {
        let a = [axis.0, axis.1, axis.2]
        let context = angle.context
        let (c, s) = (cos(angle), sin(angle))
        for k in 0..<3 where a[k].magnitude == 1 && a[(k + 1) % 3] == 0 && a[(k + 2) % 3] == 0 {
            return rotation(c, a[k] > 0 ? s : -s, axis: k)
        }
        let t = 1 - c
        var r = Matrix(context, rows: 3, cols: 3)
        for i in 0..<3 {
            for j in 0..<3 {
                var entry = scaled(t, a[i] * a[j])
                if i == j { entry = entry + c }
                // s·[a]×: the (i, j) entry is −ε_ijk·a_k·s.
                let k = 3 - i - j
                if i != j {
                    let sign: Double = (j == (i + 1) % 3) ? -1 : 1
                    let term = scaled(s, sign * a[k])
                    if context.graph.constantValue(term.id) != 0 { entry = entry + term }
                }
                r[i, j] = entry
            }
        }
        return r
    }
}

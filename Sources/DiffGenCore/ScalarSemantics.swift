#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The value of every op on `Double`: the one definition shared by the interpreter and by
/// constant folding, so a folded constant is bit-identical to what evaluation would give.
///
/// Transcendental functions call the C library, as generated C does, so interpreter and compiled
/// code agree bit for bit on the same machine.
public enum ScalarSemantics {
    /// Evaluates `op` on operand values `a`, `b`, `c`; `literal` is the integer exponent of `powi`.
    ///
    /// `constant` and `symbol` have no operands and are not evaluated here.
    @inlinable
    public static func evaluate(_ op: Op, _ a: Double, _ b: Double, _ c: Double, literal: Int32) -> Double {
        switch op {
        case .constant, .symbol:
            preconditionFailure("\(op.name) has no operands to evaluate")
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .neg: return -a
        case .pow: return Glibc.pow(a, b)
        case .powi: return powi(a, literal)
        case .sq: return a * a
        case .sqrt: return a.squareRoot()
        case .exp: return Glibc.exp(a)
        case .log: return Glibc.log(a)
        case .sin: return Glibc.sin(a)
        case .cos: return Glibc.cos(a)
        case .tan: return Glibc.tan(a)
        case .asin: return Glibc.asin(a)
        case .acos: return Glibc.acos(a)
        case .atan: return Glibc.atan(a)
        case .atan2: return Glibc.atan2(a, b)
        case .sinh: return Glibc.sinh(a)
        case .cosh: return Glibc.cosh(a)
        case .tanh: return Glibc.tanh(a)
        case .asinh: return Glibc.asinh(a)
        case .acosh: return Glibc.acosh(a)
        case .atanh: return Glibc.atanh(a)
        case .abs: return Glibc.fabs(a)
        case .sign: return sign(a)
        case .copysign: return Glibc.copysign(a, b)
        case .floor: return Glibc.floor(a)
        case .ceil: return Glibc.ceil(a)
        case .fmod: return Glibc.fmod(a, b)
        case .fmin: return fmin(a, b)
        case .fmax: return fmax(a, b)
        case .hypot: return Glibc.hypot(a, b)
        case .erf: return Glibc.erf(a)
        case .lt: return a < b ? 1 : 0
        case .le: return a <= b ? 1 : 0
        case .eq: return a == b ? 1 : 0
        case .ne: return a != b ? 1 : 0
        case .and: return (a != 0 && b != 0) ? 1 : 0
        case .or: return (a != 0 || b != 0) ? 1 : 0
        case .not: return a == 0 ? 1 : 0
        case .ifElse: return a != 0 ? b : c
        }
    }

    /// The smaller operand; on a tie (±0 included) the first, and a NaN operand loses. C99
    /// leaves the zero of a ±0 tie open (glibc returns the second, an inlined compare the
    /// first), so generated C spells exactly this conditional on every compiler.
    @inlinable
    public static func fmin(_ x: Double, _ y: Double) -> Double {
        (x <= y || y != y) ? x : y
    }

    /// The larger operand; on a tie (±0 included) the first, and a NaN operand loses.
    @inlinable
    public static func fmax(_ x: Double, _ y: Double) -> Double {
        (x >= y || y != y) ? x : y
    }

    /// `-1`, `+1`, or the argument itself for ±0 and NaN (CasADi's convention).
    @inlinable
    public static func sign(_ x: Double) -> Double {
        x > 0 ? 1 : (x < 0 ? -1 : x)
    }

    /// Largest `|n|` for which `x^n` becomes a `powi` node; larger integer exponents use `pow`.
    public static let maxPowiExponent: Int32 = 64

    /// `x^n` by square-and-multiply, lowest bit first; `x^-n` is `1 / x^n`.
    ///
    /// The multiplication order is part of the contract: generated C repeats exactly these
    /// products, so compiled code matches the interpreter bit for bit.
    @inlinable
    public static func powi(_ x: Double, _ n: Int32) -> Double {
        if n == 0 { return 1 }
        var remaining = n.magnitude
        var base = x
        var result: Double? = nil
        while true {
            if remaining & 1 == 1 {
                result = result.map { $0 * base } ?? base
            }
            remaining >>= 1
            if remaining == 0 { break }
            base = base * base
        }
        return n < 0 ? 1 / result! : result!
    }
}

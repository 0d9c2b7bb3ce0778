// Checklist for adding an op (the compiler lists most of these through exhaustive switches):
//  1. a case here, with its arity in `operandCount` and flags below;
//  2. its value in `ScalarSemantics.swift` (the one definition the interpreter and constant folding share);
//  3. its construction-time rules, if any, in `Graph+Simplify.swift`;
//  4. a front-end function in `Expr+Functions.swift`;
//  5. its text name in `name`;
//  6. later stages: partial derivatives (AD), C emission (codegen).
//  7. a reference formula in the per-op interpreter test.

/// The operation of one graph node.
///
/// Operand layout: operands live in the node's `a`, `b`, `c` fields in that order. Two ops carry
/// literals instead of operands: `constant` stores the bit pattern of its value in `a` (low 32 bits)
/// and `b` (high 32 bits); `symbol` stores an index into the symbol-name table in `a`. `powi`
/// stores its integer exponent in `b` (its only operand is `a`).
public enum Op: UInt8, CaseIterable, Sendable {
    case constant
    case symbol

    case add, sub, mul, div, neg
    case pow
    /// `x^n` for a literal integer `n`, evaluated by repeated multiplication (see `ScalarSemantics.powi`).
    case powi
    case sq, sqrt, exp, log
    case sin, cos, tan, asin, acos, atan, atan2
    case sinh, cosh, tanh, asinh, acosh, atanh
    case abs, sign, copysign, floor, ceil, fmod, fmin, fmax, hypot, erf
    /// Comparisons and logic produce 1.0 for true and 0.0 for false; any nonzero (including NaN) is true.
    case lt, le, eq, ne
    case and, or, not
    /// `ifElse(c, a, b)`: `a` where `c` is nonzero, else `b`.
    case ifElse

    /// How many of the fields `a`, `b`, `c` are node operands.
    @inlinable public var operandCount: Int {
        switch self {
        case .constant, .symbol: return 0
        case .neg, .powi, .sq, .sqrt, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan,
             .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .abs, .sign, .floor, .ceil, .erf, .not:
            return 1
        case .add, .sub, .mul, .div, .pow, .atan2, .copysign, .fmod, .fmin, .fmax, .hypot,
             .lt, .le, .eq, .ne, .and, .or:
            return 2
        case .ifElse: return 3
        }
    }

    /// Operands may be swapped without changing the value (bit for bit), so they are stored sorted.
    ///
    /// `fmin`/`fmax` are left out: C99 leaves the sign of a zero result open, so swapping could
    /// change `fmin(-0.0, 0.0)` between libms.
    @inlinable public var isCommutative: Bool {
        switch self {
        case .add, .mul, .hypot, .eq, .ne, .and, .or: return true
        case .constant, .symbol, .sub, .div, .neg, .pow, .powi, .sq, .sqrt, .exp, .log,
             .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh, .asinh, .acosh,
             .atanh, .abs, .sign, .copysign, .floor, .ceil, .fmod, .fmin, .fmax, .erf,
             .lt, .le, .not, .ifElse:
            return false
        }
    }

    /// Whether the node's value can carry a derivative from its operands. Comparisons, logic,
    /// `sign`, `floor` and `ceil` have zero derivative; `ifElse`'s condition (operand 0) carries
    /// none either (see `carriesDerivative(fromOperand:)`).
    @inlinable public var carriesDerivative: Bool {
        switch self {
        case .constant, .symbol, .sign, .floor, .ceil, .lt, .le, .eq, .ne, .and, .or, .not: return false
        case .add, .sub, .mul, .div, .neg, .pow, .powi, .sq, .sqrt, .exp, .log, .sin, .cos, .tan,
             .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .abs,
             .copysign, .fmod, .fmin, .fmax, .hypot, .erf, .ifElse:
            return true
        }
    }

    /// Whether operand `k` can pass a derivative to the node.
    @inlinable public func carriesDerivative(fromOperand k: Int) -> Bool {
        carriesDerivative && !(self == .ifElse && k == 0)
    }

    /// The C math library function computing the op in emitted C (its double-precision name;
    /// float code appends `f`), or nil where the op is spelled as an operator or a conditional.
    /// The C dialect, the prototypes of header-free code and the JIT's table of library symbols
    /// all derive from this one list.
    ///
    /// `fmin` and `fmax` are conditionals, not library calls: libms differ on which zero a ±0 tie
    /// returns, and every DiffGen path returns the first operand (see `ScalarSemantics`).
    public var cMathFunction: String? {
        switch self {
        case .pow, .sqrt, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh,
             .asinh, .acosh, .atanh, .copysign, .floor, .ceil, .fmod, .hypot, .erf:
            return name
        case .abs: return "fabs"
        case .constant, .symbol, .add, .sub, .mul, .div, .neg, .powi, .sq, .sign, .fmin, .fmax,
             .lt, .le, .eq, .ne, .and, .or, .not, .ifElse:
            return nil
        }
    }

    /// Whether glibc's vector math library (libmvec, glibc 2.35 and later) has vector versions of
    /// `cMathFunction` in double and float, which gcc calls from a loop when the function is
    /// declared `simd` (batched code with `CodegenOptions.BatchMath.vector`).
    public var cMathFunctionHasGlibcVectorVersion: Bool {
        switch self {
        case .pow, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh,
             .asinh, .acosh, .atanh, .hypot, .erf:
            return true
        case .sqrt, .copysign, .floor, .ceil, .fmod, .abs,
             .constant, .symbol, .add, .sub, .mul, .div, .neg, .powi, .sq, .sign, .fmin, .fmax,
             .lt, .le, .eq, .ne, .and, .or, .not, .ifElse:
            return false
        }
    }

    /// Whether C89's `<math.h>` declares the double version of `cMathFunction` (the others, and
    /// every float version, came with C99).
    public var cMathFunctionInC89: Bool {
        switch self {
        case .pow, .sqrt, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh,
             .floor, .ceil, .fmod, .abs:
            return true
        case .asinh, .acosh, .atanh, .copysign, .hypot, .erf,
             .constant, .symbol, .add, .sub, .mul, .div, .neg, .powi, .sq, .sign, .fmin, .fmax,
             .lt, .le, .eq, .ne, .and, .or, .not, .ifElse:
            return false
        }
    }

    /// The op's name in the text form and in error messages.
    public var name: String {
        switch self {
        case .constant: return "const"
        case .symbol: return "symbol"
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .neg: return "neg"
        case .pow: return "pow"
        case .powi: return "powi"
        case .sq: return "sq"
        case .sqrt: return "sqrt"
        case .exp: return "exp"
        case .log: return "log"
        case .sin: return "sin"
        case .cos: return "cos"
        case .tan: return "tan"
        case .asin: return "asin"
        case .acos: return "acos"
        case .atan: return "atan"
        case .atan2: return "atan2"
        case .sinh: return "sinh"
        case .cosh: return "cosh"
        case .tanh: return "tanh"
        case .asinh: return "asinh"
        case .acosh: return "acosh"
        case .atanh: return "atanh"
        case .abs: return "abs"
        case .sign: return "sign"
        case .copysign: return "copysign"
        case .floor: return "floor"
        case .ceil: return "ceil"
        case .fmod: return "fmod"
        case .fmin: return "fmin"
        case .fmax: return "fmax"
        case .hypot: return "hypot"
        case .erf: return "erf"
        case .lt: return "lt"
        case .le: return "le"
        case .eq: return "eq"
        case .ne: return "ne"
        case .and: return "and"
        case .or: return "or"
        case .not: return "not"
        case .ifElse: return "if_else"
        }
    }
}

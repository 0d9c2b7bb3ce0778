// Elementary functions on `Expr`. Names follow C's math library, so a formula reads the same
// in Swift, in the text form and in generated C.

public func sqrt(_ x: Expr) -> Expr { x.context.unary(.sqrt, x) }
public func exp(_ x: Expr) -> Expr { x.context.unary(.exp, x) }
public func log(_ x: Expr) -> Expr { x.context.unary(.log, x) }
public func sin(_ x: Expr) -> Expr { x.context.unary(.sin, x) }
public func cos(_ x: Expr) -> Expr { x.context.unary(.cos, x) }
public func tan(_ x: Expr) -> Expr { x.context.unary(.tan, x) }
public func asin(_ x: Expr) -> Expr { x.context.unary(.asin, x) }
public func acos(_ x: Expr) -> Expr { x.context.unary(.acos, x) }
public func atan(_ x: Expr) -> Expr { x.context.unary(.atan, x) }
public func sinh(_ x: Expr) -> Expr { x.context.unary(.sinh, x) }
public func cosh(_ x: Expr) -> Expr { x.context.unary(.cosh, x) }
public func tanh(_ x: Expr) -> Expr { x.context.unary(.tanh, x) }
public func asinh(_ x: Expr) -> Expr { x.context.unary(.asinh, x) }
public func acosh(_ x: Expr) -> Expr { x.context.unary(.acosh, x) }
public func atanh(_ x: Expr) -> Expr { x.context.unary(.atanh, x) }
public func abs(_ x: Expr) -> Expr { x.context.unary(.abs, x) }
public func floor(_ x: Expr) -> Expr { x.context.unary(.floor, x) }
public func ceil(_ x: Expr) -> Expr { x.context.unary(.ceil, x) }
public func erf(_ x: Expr) -> Expr { x.context.unary(.erf, x) }
/// −1, +1, or `x` itself for ±0 and NaN.
public func sign(_ x: Expr) -> Expr { x.context.unary(.sign, x) }
/// `x*x`.
public func sq(_ x: Expr) -> Expr { x.context.unary(.sq, x) }
/// Logical not: 1 where `x` is zero, else 0.
public func not(_ x: Expr) -> Expr { x.context.unary(.not, x) }

public func pow(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.pow, x, y) }
/// `x^y`; an integral `y` of magnitude at most 64 becomes exact repeated multiplication.
public func pow(_ x: Expr, _ y: Double) -> Expr { pow(x, x.lift(y)) }
public func pow(_ x: Double, _ y: Expr) -> Expr { pow(y.lift(x), y) }
/// `x^n` by repeated multiplication (exactly the products `ScalarSemantics.powi` makes).
public func pow(_ x: Expr, _ n: Int) -> Expr {
    guard let exponent = Int32(exactly: n) else { return pow(x, Double(n)) }
    return Expr(x.context, x.context.withGraph { $0.powi(x.id, exponent) })
}
public func atan2(_ y: Expr, _ x: Expr) -> Expr { y.context.binary(.atan2, y, x) }
public func copysign(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.copysign, x, y) }
public func fmod(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.fmod, x, y) }
public func fmin(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.fmin, x, y) }
public func fmax(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.fmax, x, y) }
public func hypot(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.hypot, x, y) }
/// 1 where `x == y`, else 0 (NaN equals nothing).
public func eq(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.eq, x, y) }
/// 1 where `x != y`, else 0.
public func ne(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.ne, x, y) }
public func and(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.and, x, y) }
public func or(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.or, x, y) }

/// `then` where `condition` is nonzero (NaN counts as nonzero), else `otherwise`.
///
/// Only the chosen branch's value is used, so a NaN or Inf in the other branch never leaks out.
public func ifElse(_ condition: Expr, _ then: Expr, _ otherwise: Expr) -> Expr {
    let context = condition.context
    precondition(then.context === context && otherwise.context === context,
                 "expressions belong to different ExprContexts")
    return Expr(context, context.withGraph { $0.ifElse(condition.id, then.id, otherwise.id) })
}
public func ifElse(_ condition: Expr, _ then: Expr, _ otherwise: Double) -> Expr {
    ifElse(condition, then, condition.lift(otherwise))
}
public func ifElse(_ condition: Expr, _ then: Double, _ otherwise: Expr) -> Expr {
    ifElse(condition, condition.lift(then), otherwise)
}

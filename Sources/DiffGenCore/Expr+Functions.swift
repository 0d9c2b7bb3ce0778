// Elementary functions on `Expr`. Names follow C's math library, so a formula reads the same
// in Swift, in the text form and in generated C.

@inlinable public func sqrt(_ x: Expr) -> Expr { x.context.unary(.sqrt, x) }
@inlinable public func exp(_ x: Expr) -> Expr { x.context.unary(.exp, x) }
@inlinable public func log(_ x: Expr) -> Expr { x.context.unary(.log, x) }
@inlinable public func sin(_ x: Expr) -> Expr { x.context.unary(.sin, x) }
@inlinable public func cos(_ x: Expr) -> Expr { x.context.unary(.cos, x) }
@inlinable public func tan(_ x: Expr) -> Expr { x.context.unary(.tan, x) }
@inlinable public func asin(_ x: Expr) -> Expr { x.context.unary(.asin, x) }
@inlinable public func acos(_ x: Expr) -> Expr { x.context.unary(.acos, x) }
@inlinable public func atan(_ x: Expr) -> Expr { x.context.unary(.atan, x) }
@inlinable public func sinh(_ x: Expr) -> Expr { x.context.unary(.sinh, x) }
@inlinable public func cosh(_ x: Expr) -> Expr { x.context.unary(.cosh, x) }
@inlinable public func tanh(_ x: Expr) -> Expr { x.context.unary(.tanh, x) }
@inlinable public func asinh(_ x: Expr) -> Expr { x.context.unary(.asinh, x) }
@inlinable public func acosh(_ x: Expr) -> Expr { x.context.unary(.acosh, x) }
@inlinable public func atanh(_ x: Expr) -> Expr { x.context.unary(.atanh, x) }
@inlinable public func abs(_ x: Expr) -> Expr { x.context.unary(.abs, x) }
@inlinable public func floor(_ x: Expr) -> Expr { x.context.unary(.floor, x) }
@inlinable public func ceil(_ x: Expr) -> Expr { x.context.unary(.ceil, x) }
@inlinable public func erf(_ x: Expr) -> Expr { x.context.unary(.erf, x) }
/// −1, +1, or `x` itself for ±0 and NaN.
@inlinable public func sign(_ x: Expr) -> Expr { x.context.unary(.sign, x) }
/// `x*x`.
@inlinable public func sq(_ x: Expr) -> Expr { x.context.unary(.sq, x) }
/// Logical not: 1 where `x` is zero, else 0.
@inlinable public func not(_ x: Expr) -> Expr { x.context.unary(.not, x) }

@inlinable public func pow(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.pow, x, y) }
/// `x^y`; an integral `y` of magnitude at most 64 becomes exact repeated multiplication.
@inlinable public func pow(_ x: Expr, _ y: Double) -> Expr { pow(x, x.lift(y)) }
@inlinable public func pow(_ x: Double, _ y: Expr) -> Expr { pow(y.lift(x), y) }
/// `x^n` by repeated multiplication (exactly the products `ScalarSemantics.powi` makes).
@inlinable public func pow(_ x: Expr, _ n: Int) -> Expr {
    guard let exponent = Int32(exactly: n) else { return pow(x, Double(n)) }
    return Expr(x.context, x.context.withGraph { $0.powi(x.id, exponent) })
}
@inlinable public func atan2(_ y: Expr, _ x: Expr) -> Expr { y.context.binary(.atan2, y, x) }
@inlinable public func copysign(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.copysign, x, y) }
@inlinable public func fmod(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.fmod, x, y) }
@inlinable public func fmin(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.fmin, x, y) }
@inlinable public func fmax(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.fmax, x, y) }
@inlinable public func hypot(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.hypot, x, y) }
/// 1 where `x == y`, else 0 (NaN equals nothing).
@inlinable public func eq(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.eq, x, y) }
/// 1 where `x != y`, else 0.
@inlinable public func ne(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.ne, x, y) }
@inlinable public func and(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.and, x, y) }
@inlinable public func or(_ x: Expr, _ y: Expr) -> Expr { x.context.binary(.or, x, y) }

/// `then` where `condition` is nonzero (NaN counts as nonzero), else `otherwise`.
///
/// Only the chosen branch's value is used, so a NaN or Inf in the other branch never leaks out.
@inlinable public func ifElse(_ condition: Expr, _ then: Expr, _ otherwise: Expr) -> Expr {
    let context = condition.context
    precondition(then.context === context && otherwise.context === context,
                 "expressions belong to different ExprContexts")
    return Expr(context, context.withGraph { $0.ifElse(condition.id, then.id, otherwise.id) })
}
@inlinable public func ifElse(_ condition: Expr, _ then: Expr, _ otherwise: Double) -> Expr {
    ifElse(condition, then, condition.lift(otherwise))
}
@inlinable public func ifElse(_ condition: Expr, _ then: Double, _ otherwise: Expr) -> Expr {
    ifElse(condition, condition.lift(then), otherwise)
}

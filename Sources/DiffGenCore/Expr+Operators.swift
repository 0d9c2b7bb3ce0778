// Arithmetic, comparison and logical operators on `Expr`, with `Double` on either side.

extension Expr {
    @inlinable public static func + (x: Expr, y: Expr) -> Expr { x.context.binary(.add, x, y) }
    @inlinable public static func - (x: Expr, y: Expr) -> Expr { x.context.binary(.sub, x, y) }
    @inlinable public static func * (x: Expr, y: Expr) -> Expr { x.context.binary(.mul, x, y) }
    @inlinable public static func / (x: Expr, y: Expr) -> Expr { x.context.binary(.div, x, y) }
    @inlinable public static prefix func - (x: Expr) -> Expr { x.context.unary(.neg, x) }
    @inlinable public static prefix func + (x: Expr) -> Expr { x }

    @inlinable public static func + (x: Expr, y: Double) -> Expr { x + x.lift(y) }
    @inlinable public static func - (x: Expr, y: Double) -> Expr { x - x.lift(y) }
    @inlinable public static func * (x: Expr, y: Double) -> Expr { x * x.lift(y) }
    @inlinable public static func / (x: Expr, y: Double) -> Expr { x / x.lift(y) }
    @inlinable public static func + (x: Double, y: Expr) -> Expr { y.lift(x) + y }
    @inlinable public static func - (x: Double, y: Expr) -> Expr { y.lift(x) - y }
    @inlinable public static func * (x: Double, y: Expr) -> Expr { y.lift(x) * y }
    @inlinable public static func / (x: Double, y: Expr) -> Expr { y.lift(x) / y }

    @inlinable public static func += (x: inout Expr, y: Expr) { x = x + y }
    @inlinable public static func -= (x: inout Expr, y: Expr) { x = x - y }
    @inlinable public static func *= (x: inout Expr, y: Expr) { x = x * y }
    @inlinable public static func /= (x: inout Expr, y: Expr) { x = x / y }
    @inlinable public static func += (x: inout Expr, y: Double) { x = x + y }
    @inlinable public static func -= (x: inout Expr, y: Double) { x = x - y }
    @inlinable public static func *= (x: inout Expr, y: Double) { x = x * y }
    @inlinable public static func /= (x: inout Expr, y: Double) { x = x / y }

    /// 1 where `x < y`, else 0.
    @inlinable public static func < (x: Expr, y: Expr) -> Expr { x.context.binary(.lt, x, y) }
    /// 1 where `x <= y`, else 0.
    @inlinable public static func <= (x: Expr, y: Expr) -> Expr { x.context.binary(.le, x, y) }
    /// 1 where `x > y`, else 0 (built as `y < x`).
    @inlinable public static func > (x: Expr, y: Expr) -> Expr { x.context.binary(.lt, y, x) }
    /// 1 where `x >= y`, else 0 (built as `y <= x`).
    @inlinable public static func >= (x: Expr, y: Expr) -> Expr { x.context.binary(.le, y, x) }
    @inlinable public static func < (x: Expr, y: Double) -> Expr { x < x.lift(y) }
    @inlinable public static func <= (x: Expr, y: Double) -> Expr { x <= x.lift(y) }
    @inlinable public static func > (x: Expr, y: Double) -> Expr { x > x.lift(y) }
    @inlinable public static func >= (x: Expr, y: Double) -> Expr { x >= x.lift(y) }
    @inlinable public static func < (x: Double, y: Expr) -> Expr { y.lift(x) < y }
    @inlinable public static func <= (x: Double, y: Expr) -> Expr { y.lift(x) <= y }
    @inlinable public static func > (x: Double, y: Expr) -> Expr { y.lift(x) > y }
    @inlinable public static func >= (x: Double, y: Expr) -> Expr { y.lift(x) >= y }

    /// Logical and: 1 where both are nonzero, else 0.
    @inlinable public static func && (x: Expr, y: Expr) -> Expr { x.context.binary(.and, x, y) }
    /// Logical or: 1 where either is nonzero, else 0.
    @inlinable public static func || (x: Expr, y: Expr) -> Expr { x.context.binary(.or, x, y) }
    /// Logical not: 1 where `x` is zero, else 0.
    @inlinable public static prefix func ! (x: Expr) -> Expr { x.context.unary(.not, x) }
}

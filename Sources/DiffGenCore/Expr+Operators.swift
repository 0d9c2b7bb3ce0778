// Arithmetic, comparison and logical operators on `Expr`, with `Double` on either side.

extension Expr {
    public static func + (x: Expr, y: Expr) -> Expr { x.context.binary(.add, x, y) }
    public static func - (x: Expr, y: Expr) -> Expr { x.context.binary(.sub, x, y) }
    public static func * (x: Expr, y: Expr) -> Expr { x.context.binary(.mul, x, y) }
    public static func / (x: Expr, y: Expr) -> Expr { x.context.binary(.div, x, y) }
    public static prefix func - (x: Expr) -> Expr { x.context.unary(.neg, x) }
    public static prefix func + (x: Expr) -> Expr { x }

    public static func + (x: Expr, y: Double) -> Expr { x + x.lift(y) }
    public static func - (x: Expr, y: Double) -> Expr { x - x.lift(y) }
    public static func * (x: Expr, y: Double) -> Expr { x * x.lift(y) }
    public static func / (x: Expr, y: Double) -> Expr { x / x.lift(y) }
    public static func + (x: Double, y: Expr) -> Expr { y.lift(x) + y }
    public static func - (x: Double, y: Expr) -> Expr { y.lift(x) - y }
    public static func * (x: Double, y: Expr) -> Expr { y.lift(x) * y }
    public static func / (x: Double, y: Expr) -> Expr { y.lift(x) / y }

    public static func += (x: inout Expr, y: Expr) { x = x + y }
    public static func -= (x: inout Expr, y: Expr) { x = x - y }
    public static func *= (x: inout Expr, y: Expr) { x = x * y }
    public static func /= (x: inout Expr, y: Expr) { x = x / y }
    public static func += (x: inout Expr, y: Double) { x = x + y }
    public static func -= (x: inout Expr, y: Double) { x = x - y }
    public static func *= (x: inout Expr, y: Double) { x = x * y }
    public static func /= (x: inout Expr, y: Double) { x = x / y }

    /// 1 where `x < y`, else 0.
    public static func < (x: Expr, y: Expr) -> Expr { x.context.binary(.lt, x, y) }
    /// 1 where `x <= y`, else 0.
    public static func <= (x: Expr, y: Expr) -> Expr { x.context.binary(.le, x, y) }
    /// 1 where `x > y`, else 0 (built as `y < x`).
    public static func > (x: Expr, y: Expr) -> Expr { x.context.binary(.lt, y, x) }
    /// 1 where `x >= y`, else 0 (built as `y <= x`).
    public static func >= (x: Expr, y: Expr) -> Expr { x.context.binary(.le, y, x) }
    public static func < (x: Expr, y: Double) -> Expr { x < x.lift(y) }
    public static func <= (x: Expr, y: Double) -> Expr { x <= x.lift(y) }
    public static func > (x: Expr, y: Double) -> Expr { x > x.lift(y) }
    public static func >= (x: Expr, y: Double) -> Expr { x >= x.lift(y) }
    public static func < (x: Double, y: Expr) -> Expr { y.lift(x) < y }
    public static func <= (x: Double, y: Expr) -> Expr { y.lift(x) <= y }
    public static func > (x: Double, y: Expr) -> Expr { y.lift(x) > y }
    public static func >= (x: Double, y: Expr) -> Expr { y.lift(x) >= y }

    /// Logical and: 1 where both are nonzero, else 0.
    public static func && (x: Expr, y: Expr) -> Expr { x.context.binary(.and, x, y) }
    /// Logical or: 1 where either is nonzero, else 0.
    public static func || (x: Expr, y: Expr) -> Expr { x.context.binary(.or, x, y) }
    /// Logical not: 1 where `x` is zero, else 0.
    public static prefix func ! (x: Expr) -> Expr { x.context.unary(.not, x) }
}

/// A scalar symbolic expression: a node of an `ExprContext`'s graph.
///
/// Operators and free functions (`sin(x)`, `pow(x, 3)`, `ifElse(c, a, b)`) append nodes to the
/// context's graph; equal subexpressions are shared automatically (hash-consing).
/// `Expr` deliberately does not conform to `Equatable`: `<`, `>` and friends build comparison
/// nodes. Use `isIdentical(to:)` to ask whether two expressions are the same node.
public struct Expr: CustomStringConvertible {
    public let context: ExprContext
    public let id: NodeID

    @usableFromInline init(_ context: ExprContext, _ id: NodeID) {
        self.context = context
        self.id = id
    }

    /// Wraps an existing node of `context`'s graph.
    public init(node id: NodeID, in context: ExprContext) {
        precondition(id.index < context.graph.count, "\(id) is not a node of this context")
        self.init(context, id)
    }

    /// True when both are the same node of the same context.
    public func isIdentical(to other: Expr) -> Bool {
        context === other.context && id == other.id
    }

    /// The value, when the expression is a constant.
    public var constantValue: Double? { context.graph.constantValue(id) }

    /// The symbol's name, when the expression is a symbol.
    public var symbolName: String? { context.graph.symbolName(id) }

    /// The SSA text of this expression and everything it depends on.
    public var description: String { context.graph.text(of: [id]) }

    @usableFromInline func lift(_ value: Double) -> Expr { context.constant(value) }
}

/// The home of a family of expressions: owns one `Graph` that every `Expr` made here appends to.
///
/// Expressions from different contexts cannot be combined (a precondition). Not thread-safe:
/// build a context's expressions from one thread at a time.
public final class ExprContext {
    /// The arena. Passes take it `inout` through `withGraph`.
    public private(set) var graph: Graph

    /// Creates an empty context whose graph applies `policy` while building.
    public init(policy: SimplificationPolicy = .ieee) {
        graph = Graph(policy: policy)
    }

    /// Runs `body` with exclusive access to the graph, for passes that append nodes.
    public func withGraph<R>(_ body: (inout Graph) throws -> R) rethrows -> R {
        try body(&graph)
    }

    /// A new scalar symbol.
    public func symbol(_ name: String) -> Expr {
        Expr(self, graph.symbol(name))
    }

    /// The constant `value`.
    public func constant(_ value: Double) -> Expr {
        Expr(self, graph.constant(value))
    }

    /// A column vector of `count` new symbols named `name_0`, `name_1`, ….
    public func vector(_ name: String, count: Int) -> Matrix {
        precondition(count >= 0, "a vector needs a non-negative length")
        let ids = (0..<count).map { graph.symbol("\(name)_\($0)") }
        return Matrix(self, rows: count, cols: 1, ids: ids)
    }

    /// A `rows`×`cols` matrix of new symbols named `name_i_j`.
    public func matrix(_ name: String, rows: Int, cols: Int) -> Matrix {
        precondition(rows >= 0 && cols >= 0, "a matrix needs non-negative dimensions")
        var ids: [NodeID] = []
        ids.reserveCapacity(rows * cols)
        for j in 0..<cols {
            for i in 0..<rows { ids.append(graph.symbol("\(name)_\(i)_\(j)")) }
        }
        return Matrix(self, rows: rows, cols: cols, ids: ids)
    }

    func unary(_ op: Op, _ x: Expr) -> Expr {
        precondition(x.context === self, "expression belongs to another ExprContext")
        return Expr(self, graph.make(op, x.id))
    }

    func binary(_ op: Op, _ x: Expr, _ y: Expr) -> Expr {
        precondition(x.context === self && y.context === self, "expressions belong to different ExprContexts")
        return Expr(self, graph.make(op, x.id, y.id))
    }
}

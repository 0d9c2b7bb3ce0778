/// The home of a family of expressions: owns one `Graph` that every `Expr` made here appends to.
///
/// Expressions from different contexts cannot be combined (a precondition). Not thread-safe:
/// build a context's expressions from one thread at a time.
public final class ExprContext {
    // NOTE: the graph lives in memory this context owns rather than in a stored property: every
    // operator mutates it, and a class property would pay Swift's dynamic exclusivity tracking on
    // each (17% of build time, measured with callgrind). Contexts are single-threaded by contract.
    @usableFromInline let storage: UnsafeMutablePointer<Graph>

    /// Creates an empty context whose graph applies `policy` while building.
    public init(policy: SimplificationPolicy = .ieee) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: Graph(policy: policy))
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The arena (a copy-on-write snapshot; cheap unless it is then mutated).
    public var graph: Graph { storage.pointee }

    /// Runs `body` with exclusive access to the graph, for passes that append nodes.
    public func withGraph<R>(_ body: (inout Graph) throws -> R) rethrows -> R {
        try body(&storage.pointee)
    }

    /// A new scalar symbol.
    public func symbol(_ name: String) -> Expr {
        Expr(self, storage.pointee.symbol(name))
    }

    /// The constant `value`.
    public func constant(_ value: Double) -> Expr {
        Expr(self, storage.pointee.constant(value))
    }

    /// A column vector of `count` new symbols named `name_0`, `name_1`, ….
    public func vector(_ name: String, count: Int) -> Matrix {
        precondition(count >= 0, "a vector needs a non-negative length")
        let ids = (0..<count).map { storage.pointee.symbol("\(name)_\($0)") }
        return Matrix(self, rows: count, cols: 1, ids: ids)
    }

    /// A `rows`×`cols` matrix of new symbols named `name_i_j`.
    public func matrix(_ name: String, rows: Int, cols: Int) -> Matrix {
        precondition(rows >= 0 && cols >= 0, "a matrix needs non-negative dimensions")
        var ids: [NodeID] = []
        ids.reserveCapacity(rows * cols)
        for j in 0..<cols {
            for i in 0..<rows { ids.append(storage.pointee.symbol("\(name)_\(i)_\(j)")) }
        }
        return Matrix(self, rows: rows, cols: cols, ids: ids)
    }

    @inlinable func unary(_ op: Op, _ x: Expr) -> Expr {
        precondition(x.context === self, "expression belongs to another ExprContext")
        return Expr(self, storage.pointee.make(op, x.id))
    }

    @inlinable func binary(_ op: Op, _ x: Expr, _ y: Expr) -> Expr {
        precondition(x.context === self && y.context === self, "expressions belong to different ExprContexts")
        return Expr(self, storage.pointee.make(op, x.id, y.id))
    }
}

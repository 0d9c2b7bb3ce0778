import DiffGenCore

/// Runs a differentiation pass on `context`'s graph. Debug builds (the tests among them) check
/// every graph invariant after each pass, so a pass that breaks hash-consing or ordering fails
/// where it happens.
@inline(__always)
func differentiating<R>(_ context: ExprContext, _ body: (inout Graph) throws -> R) throws -> R {
    let result = try context.withGraph(body)
    #if DEBUG
    try context.graph.verify()
    #endif
    return result
}

import DiffGenCore
import DiffGenTestSupport
import Testing

@Test func commutativeOperandsShareOneNode() throws {
    let context = ExprContext()
    let x = context.symbol("x"), y = context.symbol("y")
    #expect((x * y).isIdentical(to: y * x))
    #expect((x + y).isIdentical(to: y + x))
    #expect(hypot(x, y).isIdentical(to: hypot(y, x)))
    #expect(!(x - y).isIdentical(to: y - x))
    #expect(!(x / y).isIdentical(to: y / x))
    try context.graph.verify()
}

@Test func buildingTwiceAddsNoNodes() throws {
    let context = ExprContext()
    let q = context.vector("q", count: 3)
    func build() -> Expr { sin(q[0]) * cos(q[1]) + exp(q[2] * 0.5) / (1 + sq(q[0])) }
    let first = build()
    let count = context.graph.count
    let second = build()
    #expect(context.graph.count == count)
    #expect(first.isIdentical(to: second))
    try context.graph.verify()
}

@Test func constantsAreDeduplicatedByBitPattern() throws {
    let context = ExprContext()
    #expect(context.constant(1.5).isIdentical(to: context.constant(1.5)))
    #expect(!context.constant(0.0).isIdentical(to: context.constant(-0.0)))
    #expect(context.constant(.nan).isIdentical(to: context.constant(.nan)))
    #expect(context.constant(-0.0).constantValue?.sign == .minus)
    try context.graph.verify()
}

@Test func symbolsAreNeverShared() {
    let context = ExprContext()
    #expect(!context.symbol("x").isIdentical(to: context.symbol("x")))
}

@Test func randomGraphsKeepEveryInvariant() throws {
    for seed in UInt64(0)..<100 {
        var builder = RandomExpressions(seed: seed, point: [0.3, -1.2, 2.0])
        for _ in 0..<300 { builder.step() }
        #expect(throws: Never.self, "seed \(seed)") { try builder.context.graph.verify() }
        // Rebuilding every node from its own fields finds the same node (hash-consing is total).
        let countBefore = builder.context.graph.count
        let context = builder.context
        context.withGraph { graph in
            for index in 0..<graph.count {
                let id = NodeID(index)
                let op = graph.op(id)
                guard op != .symbol, op != .constant, op != .powi else { continue }
                let again: NodeID
                switch op.operandCount {
                case 1: again = graph.make(op, graph.operand(0, of: id))
                case 2: again = graph.make(op, graph.operand(0, of: id), graph.operand(1, of: id))
                default: again = graph.ifElse(graph.operand(0, of: id), graph.operand(1, of: id), graph.operand(2, of: id))
                }
                #expect(again == id, "seed \(seed): rebuilding \(graph.line(id)) gave \(again)")
            }
        }
        #expect(context.graph.count == countBefore, "seed \(seed)")
    }
}

@Test func verifyCatchesBrokenInvariants() throws {
    // `intern` skips simplification and canonicalization, so it can build what `make` never would.
    var forward = Graph()
    let x = forward.symbol("x")
    _ = forward.intern(.sin, x.raw + 5, 0, 0)
    #expect(throws: GraphInvariantError.self) { try forward.verify() }

    var unsorted = Graph()
    let a = unsorted.symbol("a"), b = unsorted.symbol("b")
    _ = unsorted.intern(.mul, b.raw, a.raw, 0)
    #expect(throws: GraphInvariantError.self) { try unsorted.verify() }

    var fine = Graph()
    let p = fine.symbol("p"), q = fine.symbol("q")
    _ = fine.make(.mul, q, p)
    try fine.verify()
}

@Test func textFormListsNodesInOrder() {
    let context = ExprContext()
    let x = context.symbol("x")
    let y = sin(x) + x * 0.5
    #expect(y.description == "@0 = x\n@1 = sin(@0)\n@2 = 0.5\n@3 = mul(@0, @2)\n@4 = add(@1, @3)")
}

@Test func operandsWithManyUsersStillShareNodes() throws {
    // Each node is found among the users of its newest non-constant operand, up to a few of
    // them; the rest live in a hash table. Both halves must find what they hold.
    let context = ExprContext()
    let ys = context.vector("y", count: 300)
    let t = context.symbol("t")
    func build() -> [Expr] {
        (0..<300).flatMap { k in
            [ys[k] * t, t - ys[k], ifElse(ys[k] < t, t, ys[k] + 2), 2 - ys[k], sin(t + Double(k))]
        }
    }
    let first = build()
    let count = context.graph.count
    let second = build()
    #expect(context.graph.count == count)
    #expect(zip(first, second).allSatisfy { $0.isIdentical(to: $1) })
    try context.graph.verify()
}

import DiffGenCore
import DiffGenTestSupport
import Testing

/// A chain of 10⁶ nodes builds, evaluates and is freed with no recursion (a recursive pass would
/// overflow the stack long before).
@Test func millionNodeChainBuildsEvaluatesAndFrees() throws {
    let steps = 200_000  // 5 nodes a step
    let (x0, p0) = (1.5, 0.5)
    var want = x0
    for _ in 0..<steps { want = _sin(want) * want + (0.1 * want) * p0 }
    do {
        let context = ExprContext()
        let z = context.vector("z", count: 2)
        var x = z[0]
        for _ in 0..<steps { x = sin(x) * x + 0.1 * x * z[1] }
        #expect(context.graph.count >= 1_000_000)
        let f = try Function("chain", inputs: [("z", z)], outputs: [("x", Matrix(x))])
        #expect(f.operationCount == 5 * steps)
        try context.graph.verify()
        let got = try Interpreter(f).evaluate([[x0, p0]])[0][0]
        #expect(got == want, "chain value \(got), plain Swift \(want)")
        _ = context.graph.text(of: [x.id]).count
    }
    // Leaving the scope above freed the context; nothing recursed on the way out.
}

@Test func hundredThousandTermSumBuildsAndEvaluates() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 10)
    var sum = context.constant(0)
    var want = 0.0
    let point = (0..<10).map { Double($0) * 0.25 - 1 }
    for k in 0..<100_000 {
        sum = sum + x[k % 10] * Double(k)
        want = want + point[k % 10] * Double(k)
    }
    let f = try Function("sum", inputs: [("x", x)], outputs: [("s", Matrix(sum))])
    #expect(try Interpreter(f).evaluate([point])[0][0] == want)
}

#if canImport(Glibc)
import Glibc
private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#endif

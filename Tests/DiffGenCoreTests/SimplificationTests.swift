import DiffGenCore
import DiffGenTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Special values every rule must respect (the NaN/Inf policy of `SimplificationPolicy`).
let specialValues: [Double] = [0, -0.0, 1, -1, 2.5, -7, .infinity, -.infinity, .nan, 1e308, 5e-324]

/// Builds `build(x)` and checks it against `reference(x)` at every special value, and that the
/// graph folded it to at most `maxOperations` operations.
private func checkRule(_ name: String, policy: SimplificationPolicy = .ieee, maxOperations: Int,
                       _ build: (Expr) -> Expr, _ reference: (Double) -> Double) throws {
    let context = ExprContext(policy: policy)
    let x = context.symbol("x")
    let f = try Function("rule", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(build(x)))])
    #expect(f.operationCount <= maxOperations, "\(name): \(f.operationCount) operations left:\n\(f.text)")
    let interpreter = Interpreter(f)
    for v in specialValues {
        let got = try interpreter.evaluate([[v]])[0][0]
        #expect(sameValue(got, reference(v)), "\(name) at x = \(v): got \(got), want \(reference(v))")
    }
    try context.graph.verify()
}

@Test func identitiesFoldAwayAndKeepValues() throws {
    try checkRule("x+0", maxOperations: 0, { $0 + 0 }, { $0 + 0 })
    try checkRule("0+x", maxOperations: 0, { 0 + $0 }, { 0 + $0 })
    try checkRule("x-0", maxOperations: 0, { $0 - 0 }, { $0 - 0 })
    try checkRule("x*1", maxOperations: 0, { $0 * 1 }, { $0 * 1 })
    try checkRule("x/1", maxOperations: 0, { $0 / 1 }, { $0 / 1 })
    try checkRule("-(-x)", maxOperations: 0, { -(-$0) }, { -(-$0) })
    try checkRule("x^1", maxOperations: 0, { pow($0, 1.0) }, { $0 })
    try checkRule("x^0", maxOperations: 0, { pow($0, 0.0) }, { _ in 1 })
    try checkRule("1^x", maxOperations: 0, { pow(1.0, $0) }, { _ in 1 })
    try checkRule("x*-1", maxOperations: 1, { $0 * -1 }, { -$0 })
    try checkRule("x/4", maxOperations: 1, { $0 / 4 }, { $0 / 4 })
    try checkRule("x*x", maxOperations: 1, { $0 * $0 }, { $0 * $0 })
    try checkRule("x^2", maxOperations: 1, { pow($0, 2.0) }, { $0 * $0 })
    try checkRule("(-x)*(-x)", maxOperations: 1, { (-$0) * (-$0) }, { (-$0) * (-$0) })
    try checkRule("a+(-b)", maxOperations: 2, { sin($0) + (-$0) }, { sinOf($0) - $0 })
    try checkRule("-(3x)", maxOperations: 1, { -(3 * $0) }, { -(3 * $0) })
    try checkRule("(-x)*3", maxOperations: 1, { (-$0) * 3 }, { (-$0) * 3 })
    try checkRule("|-x|", maxOperations: 1, { abs(-$0) }, { Swift.abs(-$0) })
    try checkRule("sq(|x|)", maxOperations: 1, { sq(abs($0)) }, { $0 * $0 })
    try checkRule("floor(floor x)", maxOperations: 1, { floor(floor($0)) }, { $0.rounded(.down) })
    try checkRule("fmin(x,x)", maxOperations: 0, { fmin($0, $0) }, { $0 })
    try checkRule("copysign(x,-2)", maxOperations: 2, { copysign($0, $0.context.constant(-2)) }, { -Swift.abs($0) })
    try checkRule("!!(x<1)", maxOperations: 1, { !(!($0 < 1)) }, { $0 < 1 ? 1 : 0 })
    try checkRule("ifElse(c,a,a)", maxOperations: 1, { ifElse($0, sin($0), sin($0)) }, { sinOf($0) })
    try checkRule("ifElse(!c,a,b)", maxOperations: 3, { ifElse(!($0 < 0), $0, -$0) }, { !($0 < 0) ? $0 : -$0 })
}

/// The policy itself: under `.ieee`, nothing that is NaN for some input is folded away.
@Test func ieeePolicyKeepsNaNAndInf() throws {
    try checkRule("x*0", maxOperations: 1, { $0 * 0 }, { $0 * 0 })
    try checkRule("0/x", maxOperations: 1, { 0 / $0 }, { 0 / $0 })
    try checkRule("x-x", maxOperations: 1, { $0 - $0 }, { $0 - $0 })
    try checkRule("x/x", maxOperations: 1, { $0 / $0 }, { $0 / $0 })
    let context = ExprContext()
    let x = context.symbol("x")
    let f = try Function("f", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(x * 0))])
    #expect(try Interpreter(f).evaluate([[.infinity]])[0][0].isNaN)
}

/// `.assumeFinite` folds those four, and is right wherever the input is finite.
@Test func assumeFinitePolicyFoldsMore() throws {
    for (name, build) in [("x*0", { (x: Expr) in x * 0 }), ("0/x", { 0 / $0 }), ("x-x", { $0 - $0 })] {
        let context = ExprContext(policy: .assumeFinite)
        let x = context.symbol("x")
        #expect(build(x).constantValue == 0, "\(name) should fold to 0 under .assumeFinite")
    }
    let context = ExprContext(policy: .assumeFinite)
    let x = context.symbol("x")
    #expect((x / x).constantValue == 1)
}

/// Whatever simplification and hash-consing do while a random graph is built, every node keeps
/// the value plain evaluation of its construction gives (special inputs included).
@Test func simplificationPreservesValuesOnRandomGraphs() throws {
    for seed in UInt64(0)..<300 {
        var rng = SeededRandom(seed: seed)
        let point = RandomExpressions.randomPoint(3, using: &rng, specials: seed % 2 == 0)
        let policy: SimplificationPolicy = .ieee
        var builder = RandomExpressions(seed: seed, point: point, context: ExprContext(policy: policy))
        var outputs: [(expr: Expr, value: Double)] = []
        for _ in 0..<120 { outputs.append(builder.step()) }
        let f = try Function("random", inputs: [("in", builder.inputs)],
                             outputs: [("out", Matrix(column: outputs.map(\.expr)))])
        let got = try Interpreter(f).evaluate([point])[0]
        for (k, entry) in outputs.enumerated() where !sameValue(got[k], entry.value) {
            Issue.record("seed \(seed): node \(k) \(builder.context.graph.line(entry.expr.id)) = \(got[k]), plain evaluation gives \(entry.value)")
            break
        }
        try builder.context.graph.verify()
    }
}

private func sinOf(_ x: Double) -> Double { Glibc.sin(x) }

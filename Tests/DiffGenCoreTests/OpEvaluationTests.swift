import DiffGenCore
import DiffGenTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where each op is sampled, and its value written as plain Swift (not through DiffGen).
struct OpReference: Sendable, CustomTestStringConvertible {
    let op: Op
    let domain: [ClosedRange<Double>]
    let formula: @Sendable ([Double]) -> Double
    /// Relative tolerance; 0 means bitwise.
    var tolerance: Double = 0
    var testDescription: String { op.name }
}

let wide = -10.0...10.0
let opReferences: [OpReference] = [
    OpReference(op: .add, domain: [wide, wide]) { $0[0] + $0[1] },
    OpReference(op: .sub, domain: [wide, wide]) { $0[0] - $0[1] },
    OpReference(op: .mul, domain: [wide, wide]) { $0[0] * $0[1] },
    OpReference(op: .div, domain: [wide, 0.5...10]) { $0[0] / $0[1] },
    OpReference(op: .neg, domain: [wide]) { -$0[0] },
    OpReference(op: .pow, domain: [0.01...5, -3...3]) { Glibc.pow($0[0], $0[1]) },
    OpReference(op: .sq, domain: [wide]) { $0[0] * $0[0] },
    OpReference(op: .sqrt, domain: [0...100]) { Glibc.sqrt($0[0]) },
    OpReference(op: .exp, domain: [-5...5]) { Glibc.exp($0[0]) },
    OpReference(op: .log, domain: [0.001...100]) { Glibc.log($0[0]) },
    OpReference(op: .sin, domain: [wide]) { Glibc.sin($0[0]) },
    OpReference(op: .cos, domain: [wide]) { Glibc.cos($0[0]) },
    OpReference(op: .tan, domain: [-1.5...1.5]) { Glibc.tan($0[0]) },
    OpReference(op: .asin, domain: [-1...1]) { Glibc.asin($0[0]) },
    OpReference(op: .acos, domain: [-1...1]) { Glibc.acos($0[0]) },
    OpReference(op: .atan, domain: [wide]) { Glibc.atan($0[0]) },
    OpReference(op: .atan2, domain: [wide, wide]) { Glibc.atan2($0[0], $0[1]) },
    OpReference(op: .sinh, domain: [-5...5]) { Glibc.sinh($0[0]) },
    OpReference(op: .cosh, domain: [-5...5]) { Glibc.cosh($0[0]) },
    OpReference(op: .tanh, domain: [-5...5]) { Glibc.tanh($0[0]) },
    OpReference(op: .asinh, domain: [wide]) { Glibc.asinh($0[0]) },
    OpReference(op: .acosh, domain: [1...10]) { Glibc.acosh($0[0]) },
    OpReference(op: .atanh, domain: [-0.99...0.99]) { Glibc.atanh($0[0]) },
    OpReference(op: .abs, domain: [wide]) { Swift.abs($0[0]) },
    OpReference(op: .sign, domain: [wide]) { $0[0] > 0 ? 1 : ($0[0] < 0 ? -1 : 0) },
    OpReference(op: .copysign, domain: [wide, wide]) { Swift.abs($0[0]) * ($0[1].sign == .minus ? -1 : 1) },
    OpReference(op: .floor, domain: [wide]) { $0[0].rounded(.down) },
    OpReference(op: .ceil, domain: [wide]) { $0[0].rounded(.up) },
    OpReference(op: .fmod, domain: [wide, 0.5...4]) { $0[0].truncatingRemainder(dividingBy: $0[1]) },
    OpReference(op: .fmin, domain: [wide, wide]) { Swift.min($0[0], $0[1]) },
    OpReference(op: .fmax, domain: [wide, wide]) { Swift.max($0[0], $0[1]) },
    OpReference(op: .hypot, domain: [wide, wide], formula: { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() }, tolerance: 4e-16),
    OpReference(op: .erf, domain: [-3...3], formula: { v in
        let x = v[0]
        // Independent check: erf by its Maclaurin series (converges fast for |x| <= 3).
        var term = x, sum = x, n = 0.0
        repeat { n += 1; term *= -x * x / n; sum += term / (2 * n + 1) } while Swift.abs(term) > 1e-18
        return 2 / Double.pi.squareRoot() * sum
    }, tolerance: 1e-13),
    OpReference(op: .lt, domain: [-2...2, -2...2]) { $0[0] < $0[1] ? 1 : 0 },
    OpReference(op: .le, domain: [-2...2, -2...2]) { $0[0] <= $0[1] ? 1 : 0 },
    OpReference(op: .eq, domain: [-2...2, -2...2]) { $0[0] == $0[1] ? 1 : 0 },
    OpReference(op: .ne, domain: [-2...2, -2...2]) { $0[0] != $0[1] ? 1 : 0 },
    OpReference(op: .and, domain: [-2...2, -2...2]) { ($0[0] != 0 && $0[1] != 0) ? 1 : 0 },
    OpReference(op: .or, domain: [-2...2, -2...2]) { ($0[0] != 0 || $0[1] != 0) ? 1 : 0 },
    OpReference(op: .not, domain: [-2...2]) { $0[0] == 0 ? 1 : 0 },
    OpReference(op: .ifElse, domain: [-2...2, wide, wide]) { $0[0] != 0 ? $0[1] : $0[2] },
]

@Test func everyOpHasAReference() {
    let covered = Set(opReferences.map(\.op)).union([.constant, .symbol, .powi])
    #expect(covered == Set(Op.allCases))
}

/// Comparison and logic ops need equal and zero operands often, which uniform reals never give.
private func sample(_ range: ClosedRange<Double>, op: Op, using rng: inout SeededRandom) -> Double {
    switch op {
    case .lt, .le, .eq, .ne, .and, .or, .not, .ifElse:
        if Bool.random(using: &rng) { return Double(Int.random(in: -1...1, using: &rng)) }
    default: break
    }
    return rng.uniform(range)
}

@Test(arguments: opReferences)
func interpreterMatchesPlainSwift(_ reference: OpReference) throws {
    for seed in UInt64(0)..<300 {
        var rng = SeededRandom(seed: seed &* 7919 &+ UInt64(reference.op.rawValue))
        let context = ExprContext()
        let x = context.vector("x", count: reference.domain.count)
        let node = context.withGraph { graph -> NodeID in
            switch reference.op.operandCount {
            case 1: return graph.make(reference.op, x[0].id)
            case 2: return graph.make(reference.op, x[0].id, x[1].id)
            default: return graph.ifElse(x[0].id, x[1].id, x[2].id)
            }
        }
        let f = try Function("f", inputs: [("x", x)], outputs: [("y", Matrix(Expr(node: node, in: context)))])
        let point = reference.domain.map { sample($0, op: reference.op, using: &rng) }
        let got = try Interpreter(f).evaluate([point])[0][0]
        let want = reference.formula(point)
        let ok = reference.tolerance == 0 ? sameValue(got, want) : isClose(got, want, tolerance: reference.tolerance)
        #expect(ok, "\(reference.op.name) at \(point): got \(got), want \(want) (seed \(seed))")
        if !ok { return }
    }
}

@Test func integerPowerIsRepeatedMultiplication() throws {
    var rng = SeededRandom(seed: 42)
    for n in -9...9 {
        let context = ExprContext()
        let x = context.symbol("x")
        let f = try Function("f", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(pow(x, n)))])
        let interpreter = Interpreter(f)
        for _ in 0..<50 {
            let v = rng.uniform(-3...3)
            var want = 1.0
            for _ in 0..<Swift.abs(n) { want *= v }
            if n < 0 { want = 1 / want }
            let got = try interpreter.evaluate([[v]])[0][0]
            #expect(isClose(got, want, tolerance: 1e-14), "x^\(n) at \(v) (seed 42)")
        }
    }
}

@Test func constantFoldingEqualsEvaluation() throws {
    var rng = SeededRandom(seed: 7)
    for reference in opReferences {
        let args = reference.domain.map { sample($0, op: reference.op, using: &rng) } + [0, 0]
        let context = ExprContext()
        let k = args.map { context.constant($0).id }
        let folded = context.withGraph { graph -> NodeID in
            switch reference.op.operandCount {
            case 1: return graph.make(reference.op, k[0])
            case 2: return graph.make(reference.op, k[0], k[1])
            default: return graph.ifElse(k[0], k[1], k[2])
            }
        }
        let value = try #require(context.graph.constantValue(folded), "\(reference.op.name) on constants did not fold")
        let want = ScalarSemantics.evaluate(reference.op, args[0], args[1], args[2], literal: 0)
        #expect(value.bitPattern == want.bitPattern, "\(reference.op.name)\(args.prefix(reference.domain.count))")
    }
}

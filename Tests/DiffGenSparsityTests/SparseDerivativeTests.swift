import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

@Test func jacobianSparsityIsExactForTheGraph() throws {
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let pattern = Pattern.jacobian(of: panda.outputs[0].nodes, wrt: panda.inputs[0].nodes, in: panda.context.graph)
    // PROBLEMS.md: 74 nonzeros; these ten entries are structural zeros.
    #expect(pattern.nonzeroCount == 74)
    for (i, j) in [(0, 6), (1, 6), (2, 0), (2, 6), (5, 6), (8, 6), (9, 0), (10, 0), (11, 0), (11, 6)] {
        #expect(pattern.index(row: i, col: j) == nil, "(\(i), \(j)) should be a structural zero")
    }
    let cart = try ReferenceProblems.cartpoleStep(ExprContext())
    let cartPattern = Pattern.jacobian(of: cart.outputs[0].nodes, wrt: cart.inputs[0].nodes, in: cart.context.graph)
    #expect(cartPattern.nonzeroCount == 15)
}

@Test func sparseDerivativesMatchTheReferenceStructure() throws {
    let ms = try ReferenceProblems.cartpoleMultipleShooting(ExprContext())
    let jacG = try sparseJacobian(of: ms.constraints, wrt: ms.w)
    #expect(jacG.pattern.nonzeroCount == 380)  // PROBLEMS.md
    let hessL = try sparseLagrangianHessian(objective: ms.objective, constraints: ms.constraints, wrt: ms.w,
                                            objectiveWeight: ms.sigma, multipliers: ms.lambda)
    #expect(hessL.pattern.nonzeroCount == 224)
    let mlp = try ReferenceProblems.mlp(ExprContext())
    #expect(try sparseHessian(of: mlp.output(0)[0], wrt: mlp.input(0)).pattern.nonzeroCount == 5628)
    let rosen = try ReferenceProblems.rosenbrock(ExprContext(), n: 1000)
    #expect(try sparseHessian(of: rosen.output(0)[0], wrt: rosen.input(0)).pattern.nonzeroCount == 2998)
}

/// The sparsity pattern covers every numeric nonzero, and compressed values equal the dense
/// Jacobian of the gradient (random graphs, random points).
@Test func compressedSweepsAgreeWithPlainSweeps() throws {
    for seed in UInt64(0)..<60 {
        var rng = SeededRandom(seed: seed &+ 900)
        let point = (0..<4).map { _ in rng.uniform(-1.5...1.5) }
        var builder = RandomExpressions(seed: seed &+ 900, point: point)
        var outputs: [Expr] = []
        for _ in 0..<12 { outputs.append(builder.step().expr) }
        let x = builder.inputs
        let f = try Matrix(column: outputs)
        let sparse = try sparseJacobian(of: f, wrt: x)
        // Reference: one plain forward sweep per variable (jvp with unit directions).
        let units = (0..<4).map { j in try! Matrix(builder.context, constants: (0..<4).map { [$0 == j ? 1.0 : 0.0] }) }
        let columns = try jvp(of: f, wrt: x, along: units)
        let reference = try evaluate(columns, at: [(x, point)])
        let dense = try evaluate(sparse.dense(), at: [(x, point)])
        for j in 0..<4 {
            for i in 0..<outputs.count {
                let want = reference[j][i], got = dense[i + j * outputs.count]
                #expect(sameValue(got, want), "seed \(seed): J[\(i)][\(j)] compressed \(got), plain \(want)")
                if sparse.pattern.index(row: i, col: j) == nil {
                    #expect(want == 0 || want.isNaN, "seed \(seed): numeric nonzero \(want) outside the pattern at (\(i), \(j))")
                }
            }
        }
        var total = outputs[0]
        for e in outputs.dropFirst() { total = total + e * 0.25 }
        let h = try evaluate(try sparseHessian(of: total, wrt: x).dense(), at: [(x, point)])
        let jg = try evaluate(try jacobian(of: try gradient(of: total, wrt: x), wrt: x), at: [(x, point)])
        for k in 0..<16 where jg[k].isFinite && abs(jg[k]) < 1e8 {
            #expect(abs(h[k] - jg[k]) <= 1e-9 * max(1, abs(jg[k])), "seed \(seed): Hessian entry \(k): \(h[k]) vs \(jg[k])")
        }
    }
}

/// Sparse outputs flow through codegen: CasADi's sparsity_out describes them and the JIT and
/// gcc-built code write only the nonzeros.
@Test func sparseOutputsThroughCodegenAndJIT() throws {
    let ms = try ReferenceProblems.cartpoleMultipleShooting(ExprContext())
    let jacG = try sparseJacobian(of: ms.constraints, wrt: ms.w)
    let f = try Function("jac_g", inputs: [("w", ms.w)], outputs: [("jac_g", jacG)])
    let point = ReferenceProblems.defaultPoint(104)
    let interpreted = try Interpreter(f).evaluate([point])[0]
    #expect(interpreted.count == 380)
    // PROBLEMS.md checksum of jac_g.
    #expect(isClose(interpreted.reduce(0, +), -16.0052421489025, tolerance: 1e-12))
    let native = try f.compiled()
    #expect(native.outputSizes == [380])
    #expect(try native([point])[0].map(\.bitPattern) == interpreted.map(\.bitPattern))
    let code = try CGenerator.generate([f], baseName: "jac_g")
    #expect(code.source!.contains("static const long long int jac_g_s_out0[\(2 + 105 + 380)]"))
}

/// Both sparsity propagations (index sets for many inputs, bitsets otherwise) give one pattern.
@Test func indexSetsAndBitsetsAgree() throws {
    for seed in UInt64(0)..<20 {
        var rng = SeededRandom(seed: seed &+ 4000)
        let context = ExprContext()
        let x = context.vector("x", count: 300)
        var outputs: [Expr] = []
        for _ in 0..<40 {
            var e = x[Int.random(in: 0..<300, using: &rng)]
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let other = x[Int.random(in: 0..<300, using: &rng)]
                e = Bool.random(using: &rng) ? sin(e) * other : e + floor(other) + (other < e)
            }
            outputs.append(e)
        }
        let ids = outputs.map(\.id)
        let sets = try #require(Pattern.jacobianByIndexSetsForTesting(of: ids, wrt: x.ids, in: context.graph))
        #expect(sets == Pattern.jacobianByBitsetsForTesting(of: ids, wrt: x.ids, in: context.graph), "seed \(seed)")
        #expect(sets == Pattern.jacobianByReverseBitsetsForTesting(of: ids, wrt: x.ids, in: context.graph), "seed \(seed)")
    }
}

/// Reverse propagation (outputs' bits handed down) agrees with forward propagation across
/// several 64-output passes, with outputs that are inputs, constants or derivative-free ops,
/// and `jacobian` picks it for a scalar of many inputs.
@Test func reverseAndForwardBitsetsAgree() throws {
    for seed in UInt64(0)..<10 {
        var rng = SeededRandom(seed: seed &+ 5000)
        let context = ExprContext()
        let x = context.vector("x", count: 70)
        var outputs: [Expr] = [x[3], context.constant(2), floor(x[5]), ifElse(x[1] < x[2], x[4], x[6])]
        for _ in 0..<150 {
            var e = x[Int.random(in: 0..<70, using: &rng)]
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let other = x[Int.random(in: 0..<70, using: &rng)]
                e = Bool.random(using: &rng) ? exp(e) * other : e - sign(other) + other
            }
            outputs.append(e)
        }
        let ids = outputs.map(\.id)
        let forward = Pattern.jacobianByBitsetsForTesting(of: ids, wrt: x.ids, in: context.graph)
        #expect(forward == Pattern.jacobianByReverseBitsetsForTesting(of: ids, wrt: x.ids, in: context.graph), "seed \(seed)")
        #expect(forward.nonzeroCount > 150)
    }
    // A running sum over 2000 inputs: index sets would grow quadratically; one reverse pass.
    let context = ExprContext()
    let x = context.vector("x", count: 2000)
    var sum = sq(x[0])
    for k in 1..<2000 where k % 7 != 0 { sum = sum + sin(x[k]) }
    let pattern = Pattern.jacobian(of: [sum.id], wrt: x.ids, in: context.graph)
    #expect(pattern == Pattern.jacobianByBitsetsForTesting(of: [sum.id], wrt: x.ids, in: context.graph))
    #expect(pattern.nonzeroCount == 2000 - 285)
}

/// Nonlinear-interaction propagation, independent of the AD, finds the PROBLEMS.md Hessian
/// patterns and covers every numeric nonzero of the AD's Hessians on random graphs.
@Test func nonlinearInteractionHessianSparsity() throws {
    let ms = try ReferenceProblems.cartpoleMultipleShooting(ExprContext())
    let lagrangian = ms.sigma * ms.objective + (try ms.lambda.dot(ms.constraints))
    #expect(Pattern.hessian(of: lagrangian.id, wrt: ms.w.ids, in: ms.w.context.graph).nonzeroCount == 224)
    let mlp = try ReferenceProblems.mlp(ExprContext())
    #expect(Pattern.hessian(of: mlp.outputs[0].nodes[0], wrt: mlp.inputs[0].nodes, in: mlp.context.graph).nonzeroCount == 5628)
    let rosen = try ReferenceProblems.rosenbrock(ExprContext(), n: 1000)
    #expect(Pattern.hessian(of: rosen.outputs[0].nodes[0], wrt: rosen.inputs[0].nodes, in: rosen.context.graph).nonzeroCount == 2998)
    for seed in UInt64(0)..<60 {
        var rng = SeededRandom(seed: seed &+ 6100)
        let point = (0..<4).map { _ in rng.uniform(-1.5...1.5) }
        var builder = RandomExpressions(seed: seed &+ 6100, point: point)
        var total = builder.step().expr
        for _ in 0..<15 { total = total + builder.step().expr * 0.5 }
        let x = builder.inputs
        let pattern = Pattern.hessian(of: total.id, wrt: x.ids, in: builder.context.graph)
        let h = try evaluate(try jacobian(of: try gradient(of: total, wrt: x), wrt: x), at: [(x, point)])
        for i in 0..<4 {
            for j in 0..<4 where h[i + 4 * j] != 0 && !h[i + 4 * j].isNaN {
                #expect(pattern.index(row: i, col: j) != nil, "seed \(seed): H[\(i)][\(j)] = \(h[i + 4 * j]) outside the interaction pattern")
            }
        }
    }
}

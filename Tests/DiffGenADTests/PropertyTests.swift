import DiffGenAD
import DiffGenCore
import DiffGenTestSupport
import Testing

/// Central difference of `values` along `direction` with step h.
private func centralDifference(_ interpreter: Interpreter, _ point: [Double], _ direction: [Double], _ h: Double) throws -> [Double] {
    let plus = zip(point, direction).map { $0 + h * $1 }
    let minus = zip(point, direction).map { $0 - h * $1 }
    let (fp, fm) = (try interpreter.evaluate([plus])[0], try interpreter.evaluate([minus])[0])
    return zip(fp, fm).map { ($0 - $1) / (2 * h) }
}

/// Random graphs over every op: forward mode matches central differences in a random direction
/// wherever the function is smooth at the point (two step sizes agree).
@Test func forwardModeMatchesCentralDifferences() throws {
    var checked = 0
    var opsSeen = Set<Op>()
    for seed in UInt64(0)..<250 {
        var rng = SeededRandom(seed: seed)
        let point = (0..<3).map { _ in rng.uniform(-1.5...1.5) }
        var builder = RandomExpressions(seed: seed, point: point)
        var outputs: [Expr] = []
        for _ in 0..<25 { outputs.append(builder.step().expr) }
        let graph = builder.context.graph
        for e in outputs { opsSeen.insert(graph.op(e.id)) }
        let f = try Matrix(column: outputs)
        let direction = (0..<3).map { _ in rng.uniform(-1...1) }
        let singular = try builder.singularNodes(at: point)
        let v = try Matrix(builder.context, constants: direction.map { [$0] })
        let tangent = try evaluate(jvp(of: f, wrt: builder.inputs, along: v), at: [(builder.inputs, point)])
        let values = Interpreter(try Function("f", inputs: [("x", builder.inputs)], outputs: [("f", f)]))
        let coarse = try centralDifference(values, point, direction, 1e-5)
        let fine = try centralDifference(values, point, direction, 2.5e-6)
        // One-sided differences differ at a kink even where central ones agree.
        let center = try values.evaluate([point])[0]
        let ahead = try values.evaluate([zip(point, direction).map { $0 + 1e-6 * $1 }])[0]
        let behind = try values.evaluate([zip(point, direction).map { $0 - 1e-6 * $1 }])[0]
        for k in outputs.indices {
            let scale = max(1, abs(fine[k]))
            let (forwardSlope, backwardSlope) = ((ahead[k] - center[k]) / 1e-6, (center[k] - behind[k]) / 1e-6)
            guard !singular[outputs[k].id.index], builder.dependsOnlyOnFiniteValues(outputs[k]), fine[k].isFinite, coarse[k].isFinite, abs(coarse[k] - fine[k]) < 1e-6 * scale,
                  abs(forwardSlope - backwardSlope) < 1e-3 * scale else { continue }
            checked += 1
            #expect(abs(tangent[k] - fine[k]) <= 1e-6 * scale,
                    "seed \(seed): output \(k) \(graph.line(outputs[k].id)): jvp \(tangent[k]), differences \(fine[k])")
        }
    }
    #expect(checked > 2000, "only \(checked) smooth outputs were checked")
    #expect(opsSeen.count >= RandomExpressions.ops.count - 2, "ops covered: \(opsSeen.count)")
}

/// Reverse mode is the adjoint of forward mode: ⟨J v, w⟩ = ⟨v, Jᵀ w⟩.
@Test func reverseModePassesTheDotProductTest() throws {
    var checked = 0
    for seed in UInt64(0)..<250 {
        var rng = SeededRandom(seed: seed &+ 1000)
        let point = (0..<3).map { _ in rng.uniform(-1.5...1.5) }
        var builder = RandomExpressions(seed: seed &+ 1000, point: point)
        var outputs: [Expr] = []
        for _ in 0..<25 { outputs.append(builder.step().expr) }
        let context = builder.context
        let f = try Matrix(column: outputs)
        let v = (0..<3).map { _ in rng.uniform(-1...1) }
        let w = outputs.map { _ in rng.uniform(-1...1) }
        let jv = try evaluate(jvp(of: f, wrt: builder.inputs, along: Matrix(context, constants: v.map { [$0] })),
                              at: [(builder.inputs, point)])
        let jtw = try evaluate(vjp(of: f, wrt: builder.inputs, cotangent: Matrix(context, constants: w.map { [$0] })),
                               at: [(builder.inputs, point)])
        guard jv.allSatisfy(\.isFinite), jtw.allSatisfy(\.isFinite) else { continue }
        let left = zip(jv, w).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(v, jtw).reduce(0) { $0 + $1.0 * $1.1 }
        let scale = max(1, zip(jv, w).reduce(0) { $0 + abs($1.0 * $1.1) })
        guard scale < 1e12 else { continue }
        checked += 1
        #expect(abs(left - right) <= 1e-12 * scale, "seed \(seed): <Jv,w> = \(left), <v,J'w> = \(right)")
    }
    #expect(checked > 150)
}

/// The Hessian equals the full Jacobian of the gradient (both triangles computed), which is
/// symmetric; so the mirrored Hessian is right.
@Test func hessianIsSymmetricAndEqualsJacobianOfGradient() throws {
    var checked = 0
    for seed in UInt64(0)..<200 {
        var rng = SeededRandom(seed: seed &+ 5000)
        let point = (0..<3).map { _ in rng.uniform(-1.5...1.5) }
        var builder = RandomExpressions(seed: seed &+ 5000, point: point)
        var last = builder.step().expr
        for _ in 0..<20 { last = last + builder.step().expr * 0.5 }
        let x = builder.inputs
        let h = try evaluate(hessian(of: last, wrt: x), at: [(x, point)])
        let jg = try evaluate(jacobian(of: gradient(of: last, wrt: x), wrt: x), at: [(x, point)])
        guard jg.allSatisfy(\.isFinite), jg.allSatisfy({ abs($0) < 1e10 }) else { continue }
        checked += 1
        for i in 0..<3 {
            for j in 0..<3 {
                let scale = max(1, abs(jg[i + 3 * j]))
                #expect(abs(jg[i + 3 * j] - jg[j + 3 * i]) <= 1e-9 * scale, "seed \(seed): ∂²f not symmetric at (\(i),\(j))")
                #expect(abs(h[i + 3 * j] - jg[i + 3 * j]) <= 1e-9 * scale, "seed \(seed): H[\(i)][\(j)] = \(h[i + 3 * j]), J(∇f) = \(jg[i + 3 * j])")
            }
        }
    }
    #expect(checked > 100)
}

/// Complex step — no subtraction, independent formulas — agrees with the symbolic Jacobian to
/// near rounding on random graphs over every op but erf.
@Test func jacobianMatchesComplexStep() throws {
    var checked = 0
    for seed in UInt64(0)..<200 {
        var rng = SeededRandom(seed: seed &+ 7000)
        let point = (0..<3).map { _ in rng.uniform(-1.5...1.5) }
        var builder = RandomExpressions(seed: seed &+ 7000, point: point)
        var outputs: [Expr] = []
        for _ in 0..<20 { outputs.append(builder.step().expr) }
        let singular = try builder.singularNodes(at: point)
        let keep = outputs.filter { !singular[$0.id.index] && builder.dependsOnlyOnFiniteValues($0) }
        guard !keep.isEmpty else { continue }
        let f = try Matrix(column: keep)
        guard let report = try DerivativeCheck.jacobianByComplexStep(of: f, wrt: builder.inputs, at: point) else { continue }
        checked += 1
        #expect(report.maxRelativeError <= 1e-10, "seed \(seed): \(report)")
    }
    #expect(checked > 50, "only \(checked) graphs were checked")
}

import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

/// A cache directory of its own, removed afterwards.
private func withCache<R>(_ body: (String) throws -> R) throws -> R {
    let directory = try CToolchain.temporaryDirectory("cache")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

private func sample(_ name: String) throws -> (Function, Interpreter) {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let f = try Matrix(column: [sin(x[0]) * exp(x[1]) + x[2] / (1 + sq(x[0])), atan2(x[1], x[2]) * cos(x[0] * x[2])])
    let function = try Function(name, inputs: [("x", x)], outputs: [("f", f), ("J", try jacobian(of: f, wrt: x))])
    return (function, Interpreter(function))
}

/// The tcc tier answers at once; the gcc -O2 tier takes over behind the same callable and gives
/// the same bits (both follow the interpreter exactly: no fused multiply-adds, same libm).
@Test func optimizedTierTakesOverWithIdenticalResults() throws {
    try withCache { cache in
        let (function, interpreter) = try sample("tiered_\(UInt32.random(in: 0...UInt32.max))")
        let native = try function.compiled(optimizeWith: SystemCompiler(cache: .directory(cache)))
        let point = [0.3, -0.7, 1.9]
        let expected = try interpreter.evaluate([point]).flatMap { $0 }.map(\.bitPattern)
        let tccAddress = native.entryAddress
        #expect(try native([point]).flatMap { $0 }.map(\.bitPattern) == expected, "tcc tier")
        let tier = native.waitForOptimization(seconds: 120)
        #expect(tier == .optimized, "optimized build: \(tier)")
        #expect(native.entryAddress != tccAddress)
        #expect(try native([point]).flatMap { $0 }.map(\.bitPattern) == expected, "optimized tier")
        let libraries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".so") }
        #expect(libraries.count == 1 && libraries.allSatisfy { $0.hasPrefix("obj-") }, "\(libraries)")
    }
}

/// Threads keep calling while the switch happens; every result is right before, during and after.
@Test func callsDuringTheSwitchStayCorrect() async throws {
    let cache = try CToolchain.temporaryDirectory("cache")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    do {
        let (function, interpreter) = try sample("switch_\(UInt32.random(in: 0...UInt32.max))")
        let native = try function.compiled(optimizeWith: SystemCompiler(cache: .directory(cache)))
        let expected = try (0..<64).map { k in try interpreter.evaluate([[0.01 * Double(k), 0.5, -1.5]]).flatMap { $0 } }
        let wrong = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var wrong = 0, calls = 0
                    while native.tier == .optimizing || calls < 2000 {
                        let k = calls % 64
                        if (try? native([[0.01 * Double(k), 0.5, -1.5]]).flatMap({ $0 })) != expected[k] { wrong += 1 }
                        calls += 1
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(native.tier == .optimized)
    }
}

/// A library built before is found in the cache for the same source, and gives the same values.
@Test func cachedLibrariesAreReused() throws {
    try withCache { cache in
        let (function, interpreter) = try sample("cached_\(UInt32.random(in: 0...UInt32.max))")
        let first = try function.compiled(optimizeWith: SystemCompiler(cache: .directory(cache)))
        #expect(first.waitForOptimization(seconds: 120) == .optimized)
        let second = try function.compiled(optimizeWith: SystemCompiler(cache: .directory(cache)))
        #expect(second.waitForOptimization(seconds: 120) == .optimized)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(entries.filter { $0.hasSuffix(".entry") }.count == 1 && entries.filter { $0.hasSuffix(".so") }.count == 1, "\(entries)")
        let point = [1.1, 0.2, 0.4]
        #expect(try second([point]).flatMap { $0 } == (try interpreter.evaluate([point]).flatMap { $0 }))
    }
}

/// A compiler that fails leaves the callable on tcc's code, with the message in its tier.
@Test func failedOptimizedBuildKeepsTheTccTier() throws {
    try withCache { cache in
        let (function, interpreter) = try sample("failing_\(UInt32.random(in: 0...UInt32.max))")
        let native = try function.compiled(optimizeWith: SystemCompiler(flags: ["-O2", "-fPIC", "-shared", "-Wno-such-flag-xyz", "-Werror=unknown-warning-option", "--no-such-option"], cache: .directory(cache)))
        let tier = native.waitForOptimization(seconds: 120)
        guard case .failed(let message) = tier else {
            Issue.record("expected a failed build, got \(tier)")
            return
        }
        #expect(message.contains("no-such-option"), "\(message)")
        let point = [0.5, 0.5, 0.5]
        #expect(try native([point]).flatMap { $0 } == (try interpreter.evaluate([point]).flatMap { $0 }))
    }
}

/// Every path gives the same bits: the interpreter, the tcc tier and the optimized tier, on
/// random graphs over every op at random points and at special values (±0, ±Inf, NaN,
/// subnormals, huge arguments to the trigonometric functions). NaN compares as NaN: C carries no
/// NaN's sign or payload.
@Test func interpreterAndBothTiersAgreeBitForBitOnEveryOp() throws {
    try withCache { cache in
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 5e-324, -2.2250738585072014e-308, 1e-310,
                                  1e300, -1e300, 1e22, -3.0e15, 0.5, -1, 1, 2]
        for seed in UInt64(0)..<4 {
            var rng = SeededRandom(seed: seed &+ 4242)
            var builder = RandomExpressions(seed: seed &+ 4242, point: [0.3, -1.2, 2.5])
            let x = builder.inputs
            // Every op on the inputs themselves, then random compositions.
            var outputs = builder.everyOp(binary: (0, 1), exponent: -3)
            for _ in 0..<150 { outputs.append(builder.step().expr) }
            let f = try Function("every_op_\(seed)_\(UInt32.random(in: 0...UInt32.max))", inputs: [("x", x)],
                                 outputs: [("y", try Matrix(column: outputs))])
            let used = Set((0..<builder.context.graph.count).map { builder.context.graph.op(NodeID($0)) })
            #expect(used.isSuperset(of: RandomExpressions.ops), "seed \(seed) misses \(Set(RandomExpressions.ops).subtracting(used))")
            let native = try f.compiled(optimizeWith: SystemCompiler(cache: .directory(cache)))
            let interpreter = Interpreter(f)
            var points: [[Double]] = (0..<12).map { _ in (0..<3).map { _ in rng.uniform(-4...4) } }
            for _ in 0..<24 { points.append((0..<3).map { _ in Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : rng.uniform(-4...4) }) }
            let tcc = try points.map { try native([$0])[0] }
            #expect(native.waitForOptimization(seconds: 120) == .optimized)
            for (k, point) in points.enumerated() {
                let want = try interpreter.evaluate([point])[0]
                let optimized = try native([point])[0]
                for j in want.indices where !(sameBits(tcc[k][j], want[j]) && sameBits(optimized[j], want[j])) {
                    Issue.record("seed \(seed) at \(point), output \(j) \(builder.context.graph.line(outputs[j].id)): interpreter \(want[j]), tcc \(tcc[k][j]), optimized \(optimized[j])")
                }
            }
        }
    }
}

/// The optimized tier's library holds no fused multiply-add (gcc 12 vectorizes `a*b ± c*d` into
/// `vfmaddsub` under `-march=native` even with `-ffp-contract=off`, which would change the last
/// bits): checked in the disassembly of a function full of such products.
@Test func optimizedTierHasNoFusedMultiplyAdd() throws {
    #if arch(x86_64)
    try withCache { cache in
        let context = ExprContext()
        let a = context.vector("a", count: 8), b = context.vector("b", count: 8)
        var sums: [Expr] = []
        for k in stride(from: 0, to: 8, by: 2) {
            sums.append(a[k] * b[k] - a[k + 1] * b[k + 1])
            sums.append(a[k] * b[k + 1] + a[k + 1] * b[k])
        }
        let f = try Function("complex_products", inputs: [("a", a), ("b", b)], outputs: [("y", try Matrix(column: sums))])
        let native = try f.compiled(optimizeWith: SystemCompiler(cache: .directory(cache)))
        #expect(native.waitForOptimization(seconds: 120) == .optimized)
        let objects = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".so") }
        try #require(objects.count == 1)
        let disassembly = try CToolchain.run(["objdump", "-d", "\(cache)/\(objects[0])"])
        try #require(disassembly.succeeded, "\(disassembly.errors)")
        let fused = disassembly.output.split(separator: "\n").filter { $0.contains("vfmadd") || $0.contains("vfmsub") || $0.contains("vfnm") }
        #expect(fused.isEmpty, "fused multiply-adds in the optimized tier:\n\(fused.prefix(5).joined(separator: "\n"))")
    }
    #endif
}

import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// Points as the batched entry takes them: entry k of point p at `[k * count + p]`.
private func entryMajor(_ points: [[Double]]) -> [Double] {
    let size = points.first?.count ?? 0
    return (0..<size).flatMap { k in points.map { $0[k] } }
}

/// Output `j` of point `p` from entry-major outputs.
private func pointOutputs(_ outputs: [Double], size: Int, count: Int, point p: Int) -> [Double] {
    (0..<size).map { outputs[$0 * count + p] }
}

/// Both tiers' batched entries (tcc: gather and call per point; gcc: vector lanes, runs split
/// around library calls) give single calls' bits on every op, at special values, for batch
/// sizes around the lane count (whole blocks, a partial block, none).
@Test func batchedEntryMatchesSingleCallsBitForBitOnEveryOp() throws {
    let cache = try CToolchain.temporaryDirectory("cache")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 5e-324, 1e-310, 1e300, -1e300, 1e22, 0.5, -1, 1, 2]
    for (seed, real) in [(UInt64(0), CodegenOptions.RealType.double), (1, .double), (2, .float)] {
        var rng = SeededRandom(seed: seed &+ 99)
        var builder = RandomExpressions(seed: seed &+ 99, point: [0.3, -1.2, 2.5])
        var outputs = builder.everyOp(binary: (0, 1), exponent: -3)
        for _ in 0..<150 { outputs.append(builder.step().expr) }
        let f = try Function("batch_ops_\(seed)_\(UInt32.random(in: 0...UInt32.max))", inputs: [("x", builder.inputs)],
                             outputs: [("y", try Matrix(column: outputs)), ("first", try Matrix(column: [outputs[0]]))])
        var options = CodegenOptions()
        options.real = real
        options.batchLanes = 8
        let native = try f.compiled(options: options, optimizeWith: SystemCompiler(cache: .directory(cache)))
        #expect(native.isBatched)
        var points: [[Double]] = (0..<20).map { _ in (0..<3).map { _ in rng.uniform(-4...4) } }
        for _ in 0..<17 { points.append((0..<3).map { _ in Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : rng.uniform(-4...4) }) }
        func check(_ tier: String) throws {
            for count in [0, 1, 7, 8, 9, 16, 37] {
                let batch = Array(points.prefix(count))
                let results = try native.evaluateBatch([entryMajor(batch)], count: count)
                for (p, point) in batch.enumerated() {
                    let single = try native([point])
                    for j in 0..<2 {
                        let got = pointOutputs(results[j], size: native.outputSizes[j], count: count, point: p)
                        for k in got.indices where !sameBits(got[k], single[j][k]) {
                            Issue.record("\(tier), \(real), \(count) points, point \(point), output \(j)[\(k)]: batched \(got[k]), single \(single[j][k])")
                        }
                    }
                }
            }
        }
        try check("tcc")
        #expect(native.waitForOptimization(seconds: 120) == .optimized)
        try check("optimized")
    }
}

/// Vector math calls glibc's vector sin, cos and tanh (x86-64; exp, log, pow and atan2 need
/// `-fno-math-errno`, which the JIT does not use) and stays within their accuracy; threads
/// split the points without changing a bit.
@Test func vectorMathBatchIsAccurateAndThreadsAgree() throws {
    let cache = try CToolchain.temporaryDirectory("cache")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let context = ExprContext()
    let fk = try ReferenceProblems.pandaFK(context)
    let q = try fk.input(0)
    let extra = try Matrix(column: [exp(q[0]) * tanh(q[1]), log(2 + q[2]) - atan2(q[3], q[4]), pow(1.5 + q[5], q[6])])
    let f = try Function("batch_vector_\(UInt32.random(in: 0...UInt32.max))", inputs: [("q", q)],
                         outputs: [("jac", try jacobian(of: fk.output(0), wrt: q)), ("extra", extra)])
    var options = CodegenOptions()
    options.batchLanes = 8
    options.batchMath = .vector
    let native = try f.compiled(options: options, optimizeWith: SystemCompiler(cache: .directory(cache)))
    #expect(native.waitForOptimization(seconds: 120) == .optimized)
    var rng = SeededRandom(seed: 7)
    let count = 203
    let points = (0..<count).map { _ in (0..<7).map { _ in rng.uniform(-2.5...2.5) } }
    let results = try native.evaluateBatch([entryMajor(points)], count: count)
    for (p, point) in points.enumerated() {
        let single = try native([point])
        for j in 0..<2 {
            let got = pointOutputs(results[j], size: native.outputSizes[j], count: count, point: p)
            for k in got.indices where !isClose(got[k], single[j][k], tolerance: 1e-13) {
                Issue.record("point \(p), output \(j)[\(k)]: vector math \(got[k]), single \(single[j][k])")
            }
        }
    }
    let threaded = try native.evaluateBatch([entryMajor(points)], count: count, threads: 3)
    #expect(threaded.map { $0.map(\.bitPattern) } == results.map { $0.map(\.bitPattern) })
    #if arch(x86_64) && canImport(Glibc)
    let libraries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".so") }
    #expect(libraries.count == 1)
    for library in libraries {
        let symbols = try CToolchain.run(["nm", "-D", "--undefined-only", "\(cache)/\(library)"]).output
        for function in ["sin", "cos", "tanh"] {
            #expect(symbols.split(separator: "\n").contains { $0.contains("_ZGV") && $0.contains("_\(function)@") }, "no vector \(function) in \(symbols)")
        }
    }
    #endif
}

/// The batched C builds warning-free as C99 under gcc and clang, with both kinds of math.
@Test(arguments: [CodegenOptions.BatchMath.exact, .vector])
func batchedSourceCompilesCleanly(math: CodegenOptions.BatchMath) throws {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let f = try Function("clean", inputs: [("x", x)], outputs: [("y", try Matrix(column: [sin(x[0]) * x[1], sqrt(x[2]) + cos(x[0]), x[0] * x[1]]))])
    var options = CodegenOptions()
    options.batchLanes = 4
    options.batchMath = math
    let directory = try CToolchain.temporaryDirectory("batch_c")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try CGenerator.generate([f], baseName: "clean", options: options).write(to: directory)
    for compiler in ["gcc", "clang"] where CToolchain.available(compiler) {
        let outcome = try CToolchain.run([compiler, "-std=c99", "-O2", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-c", "\(directory)/clean.c", "-o", "\(directory)/clean.o"])
        #expect(outcome.succeeded, "\(compiler): \(outcome.errors)")
    }
}

@Test func batchedCallsAreChecked() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = try Function("checked_batch", inputs: [("x", x)], outputs: [("y", try Matrix(column: [x[0] * x[1]]))])
    #expect(throws: NativeFunction.BatchError.notBatched(function: "checked_batch")) { try f.compiled().evaluateBatch([[1, 2]], count: 1) }
    var options = CodegenOptions()
    options.batchLanes = 8
    let native = try f.compiled(options: options)
    #expect(throws: NativeFunction.BatchError.wrongInputSize(function: "checked_batch", input: 0, expected: 6, got: 5)) {
        try native.evaluateBatch([[1, 2, 3, 4, 5]], count: 3)
    }
    #expect(throws: NativeFunction.BatchError.wrongInputCount(function: "checked_batch", expected: 1, got: 2)) {
        try native.evaluateBatch([[1, 2], [3]], count: 1)
    }
    options.interface = .plain
    #expect(throws: CodegenError.self) { try CGenerator.generate([f], baseName: "plain_batch", options: options) }
    options.interface = .casadi
    options.batchLanes = 0
    #expect(throws: CodegenError.self) { try CGenerator.generate([f], baseName: "no_lanes", options: options) }
}

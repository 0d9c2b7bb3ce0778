import DiffGen
import DiffGenAD
import DiffGenCodegen
import DiffGenCore
import DiffGenTestSupport
import Foundation
import Testing

/// A compiler configuration every emitted file must build under.
struct Compiler: Sendable, CustomTestStringConvertible {
    let command: String
    let flags: [String]
    let options: CodegenOptions
    var testDescription: String { "\(command) \(options.real == .float ? "float" : "double")" }
}

let compilers: [Compiler] = {
    var tcc = CodegenOptions()
    tcc.compiler = .tcc
    tcc.withMain = true
    var standard = CodegenOptions()
    standard.withMain = true
    var float = standard
    float.real = .float
    let floatFlags = ["-Wdouble-promotion", "-Wfloat-conversion"]
    return [
        Compiler(command: "gcc", flags: CToolchain.strictFlags + ["-O2", "-ffp-contract=off"], options: standard),
        Compiler(command: "clang", flags: CToolchain.strictFlags + ["-O2", "-ffp-contract=off"], options: standard),
        Compiler(command: "tcc", flags: ["-Wall", "-Werror"], options: tcc),
        Compiler(command: "gcc", flags: CToolchain.strictFlags + floatFlags + ["-O2", "-ffp-contract=off"], options: float),
        Compiler(command: "clang", flags: CToolchain.strictFlags + floatFlags + ["-O2", "-ffp-contract=off"], options: float),
    ]
}()

/// Builds `function` with `compiler`, runs it at `point`, and returns the printed outputs.
func compileAndRun(_ function: Function, _ compiler: Compiler, at point: [[Double]]) throws -> [Double] {
    let directory = try CToolchain.temporaryDirectory("cc")
    let keep = ProcessInfo.processInfo.environment["DIFFGEN_KEEP_C"] != nil
    defer { if !keep { try? FileManager.default.removeItem(atPath: directory) } }
    let code = try CGenerator.generate([function], baseName: "generated", options: compiler.options)
    try code.write(to: directory)
    let binary = "\(directory)/program"
    let build = try CToolchain.run([compiler.command] + compiler.flags + ["-o", binary, "\(directory)/generated.c", "-lm"])
    guard build.succeeded else {
        Issue.record("\(compiler.testDescription) rejected the emitted C:\n\(build.errors)")
        return []
    }
    let input = point.flatMap { $0 }.map { String($0) }.joined(separator: " ")
    let run = try CToolchain.run([binary], input: input)
    #expect(run.succeeded, "program failed: \(run.errors)")
    return CToolchain.numbers(run.output)
}

@Test(arguments: compilers)
func randomGraphsCompileWarningFreeAndMatchTheInterpreter(_ compiler: Compiler) throws {
    guard CToolchain.available(compiler.command) else {
        Issue.record("\(compiler.command) is not installed; `make test` installs it")
        return
    }
    for seed in UInt64(0)..<6 {
        var rng = SeededRandom(seed: seed &+ 77)
        // Every other seed at special values (±0, ±Inf, NaN, huge and tiny numbers).
        let point = RandomExpressions.randomPoint(3, using: &rng, specials: seed % 2 == 1)
        var builder = RandomExpressions(seed: seed &+ 77, point: point)
        // Every op on the inputs themselves, then random compositions.
        var outputs = builder.everyOp(binary: (1, 2), exponent: 3)
        for _ in 0..<60 { outputs.append(builder.step().expr) }
        let function = try Function("random\(seed)", inputs: [("x", builder.inputs)],
                                    outputs: [("y", try Matrix(column: outputs)), ("first", Matrix(outputs[0]))])
        // Float builds round every step to float: they must match Float arithmetic node by node.
        let expected = compiler.options.real == .double
            ? try Interpreter(function).evaluate([point]).flatMap { $0 }
            : floatReference(function, at: [point.map { Float($0) }]).flatMap { $0 }.map { Double($0) }
        let got = try compileAndRun(function, compiler, at: [point])
        guard got.count == expected.count else {
            Issue.record("seed \(seed): \(got.count) outputs printed, \(expected.count) expected")
            continue
        }
        for k in expected.indices {
            #expect(sameBits(got[k], expected[k]), "seed \(seed), output \(k): compiled \(got[k]), reference \(expected[k]) [\(compiler.testDescription)]")
        }
    }
}

@Test func floatModeMatchesAFloatReferenceOnSmoothFunctions() throws {
    // Float code rounds every step to float: compare with the same formula in Float arithmetic.
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = try Function("smooth", inputs: [("x", x)], outputs: [("y", try Matrix(column: [
        sin(x[0]) * x[1] + 0.5, exp(x[0] * 0.25) / (1 + sq(x[1])), pow(x[0], 3) - sqrt(abs(x[1])),
    ]))])
    var options = CodegenOptions()
    options.real = .float
    options.withMain = true
    let compiler = Compiler(command: "gcc", flags: CToolchain.strictFlags + ["-Wdouble-promotion", "-Wfloat-conversion", "-O2"], options: options)
    let (a, b): (Float, Float) = (0.7, -1.3)
    let got = try compileAndRun(f, compiler, at: [[Double(a), Double(b)]])
    let want: [Float] = [sinf(a) * b + 0.5, expf(a * 0.25) / (1 + b * b), a * (a * a) - sqrtf(fabsf(b))]
    #expect(got.count == 3)
    for (g, w) in zip(got, want) { #expect(Float(g) == w, "float code gave \(g), Float arithmetic \(w)") }
}

@Test func derivativesCompileAndMatch() throws {
    let context = ExprContext()
    let q = context.vector("q", count: 3)
    let f = sin(q[0]) * cos(q[1]) + q[2] * q[2] * exp(-q[0])
    let function = try Function("deriv", inputs: [("q", q)], outputs: [
        ("f", Matrix(f)), ("g", try gradient(of: f, wrt: q)), ("h", try hessian(of: f, wrt: q)),
    ])
    let point = [0.3, -0.4, 1.1]
    let expected = try Interpreter(function).evaluate([point]).flatMap { $0 }
    let got = try compileAndRun(function, compilers[0], at: [point])
    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
}

/// A function with many live values is split into parts of at most 200 operations that pass
/// values through the work array; gcc and clang (double and float) build it warning-free and it
/// prints what the interpreter computes, bit for bit in double.
@Test func largeFunctionsAreSplitAndStillMatch() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let values = (0..<300).map { exp(x[0] * Double($0 + 1) * 0.01) - x[1] }
    var total = values[299]
    for v in values.reversed().dropFirst() { total = total * 0.5 + sq(v) }
    var again = values[0]
    for v in values.dropFirst() { again = again * 0.25 - v }
    let function = try Function("split", inputs: [("x", x)], outputs: [("t", Matrix(total)), ("a", Matrix(again)), ("v", try Matrix(column: Array(values[..<20])))])
    let source = try CGenerator.generate([function], baseName: "split").source!
    #expect(source.contains("split_part0(") && source.contains("split_part4("), "expected at least 5 parts")
    #expect(source.contains("work[") && source.contains("DG_NOINLINE"))
    var whole = CodegenOptions()
    whole.maxStatementsPerFunction = nil
    #expect(!(try CGenerator.generate([function], baseName: "split", options: whole).source!.contains("_part0(")))
    let point = [0.3, -0.2]
    let expected = try Interpreter(function).evaluate([point]).flatMap { $0 }
    for compiler in compilers where compiler.command != "tcc" {
        let got = try compileAndRun(function, compiler, at: [point])
        #expect(got.count == expected.count, "\(compiler.testDescription)")
        if compiler.options.real == .double {
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(compiler.testDescription): \(got) vs \(expected)")
        } else {
            #expect(zip(got, expected).allSatisfy { Swift.abs($0 - $1) <= 1e-3 * max(1, Swift.abs($1)) }, "\(compiler.testDescription)")
        }
    }
}

/// Many values live at once: slots move to the caller's work array above 4096 for tcc (gcc/clang keep
/// locals up to 32768); the code still builds warning-free and matches the interpreter.
@Test func manyLiveValuesUseTheWorkArray() throws {
    func wide(_ n: Int) throws -> Function {
        let context = ExprContext()
        let x = context.vector("x", count: 2)
        let values = (0..<n).map { sin(x[0] * Double($0 + 1)) + x[1] }
        // Folded in both orders: every value stays live from the first fold until the second.
        var total = values[n - 1]
        for v in values.reversed().dropFirst() { total = total * 0.5 + sq(v) }
        var again = values[0]
        for v in values.dropFirst() { again = again * 0.25 - v }
        return try Function("wide", inputs: [("x", x)], outputs: [("t", Matrix(total)), ("a", Matrix(again)), ("v", Matrix(values[17]))])
    }
    let point = [0.3, -0.2]
    // gcc -O2 time grows super-linearly with function size, so it gets the smaller case.
    let small = try wide(400)
    let expected = try Interpreter(small).evaluate([point]).flatMap { $0 }
    for compiler in [compilers[0], compilers[1]] {
        let got = try compileAndRun(small, compiler, at: [point])
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(compiler.testDescription): \(got) vs \(expected)")
    }
    let large = try wide(5000)
    let expectedLarge = try Interpreter(large).evaluate([point]).flatMap { $0 }
    let got = try compileAndRun(large, compilers[2], at: [point])
    #expect(got.count == 3 && zip(got, expectedLarge).allSatisfy { sameValue($0, $1) })
    let native = try large.compiled()
    #expect(try native([point]).flatMap { $0 }.map(\.bitPattern) == expectedLarge.map(\.bitPattern))
    #expect(native.workSize >= 5000, "tcc mode should have moved 5000 live values into the work array")
}

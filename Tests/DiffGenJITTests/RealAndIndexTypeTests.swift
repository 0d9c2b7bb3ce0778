import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// Random graphs over every op, compiled for float arithmetic through the JIT (CasADi's
/// interface: double ports, float arithmetic): every output equals a node-by-node Float
/// evaluation bit for bit, at moderate points and at special values.
@Test func floatJITMatchesFloatArithmeticBitForBit() throws {
    var options = CodegenOptions()
    options.real = .float
    for seed in UInt64(0)..<30 {
        var rng = SeededRandom(seed: seed &+ 900)
        let point = RandomExpressions.randomPoint(3, using: &rng, specials: seed % 3 == 0)
        var builder = RandomExpressions(seed: seed &+ 900, point: point)
        var outputs: [Expr] = []
        for _ in 0..<60 { outputs.append(builder.step().expr) }
        let f = try Function("random_float", inputs: [("x", builder.inputs)], outputs: [("y", try Matrix(column: outputs))])
        let got = try f.compiled(options: options)([point])[0]
        let want = floatReference(f, at: [point.map { Float($0) }])[0]
        for k in want.indices {
            // A float widened to double is exact: the double must hold a float's value.
            #expect(sameFloat(Float(got[k]), want[k]) && (got[k].isNaN || Double(Float(got[k])) == got[k]),
                    "seed \(seed), output \(k) \(builder.context.graph.line(outputs[k].id)): JIT \(got[k]), Float \(want[k])")
        }
    }
}

/// Float arithmetic stays within float precision of the double interpreter on a real model
/// (the Panda's forward kinematics and Jacobian, entries of order 1).
@Test func floatJITAgreesWithTheDoubleInterpreterToFloatPrecision() throws {
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let q = try panda.input(0)
    let f = try Function("panda_float", inputs: [("q", q)], outputs: [
        ("f", panda.output(0)), ("jac", try jacobian(of: panda.output(0), wrt: q)),
    ])
    var options = CodegenOptions()
    options.real = .float
    let native = try f.compiled(options: options)
    let interpreter = Interpreter(f)
    var rng = SeededRandom(seed: 17)
    for _ in 0..<200 {
        // Float-representable inputs, so only the arithmetic differs.
        let point = (0..<7).map { _ in Double(Float(rng.uniform(-2.5...2.5))) }
        let got = try native([point]), want = try interpreter.evaluate([point])
        for (g, w) in zip(got.flatMap { $0 }, want.flatMap { $0 }) {
            #expect(abs(g - w) <= 2e-5, "float \(g), double \(w) at \(point)")
        }
    }
}

/// The JIT's C is internal: any index type asked for gives a working callable.
@Test func everyIndexTypeWorksThroughTheJIT() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = try Function("indexed", inputs: [("x", x)], outputs: [("y", try Matrix(column: [x[0] * x[1], sin(x[0])]))])
    for index in [CodegenOptions.IndexType.int, .longLong] {
        for real in [CodegenOptions.RealType.double, .float] {
            var options = CodegenOptions()
            options.indexType = index
            options.real = real
            let native = try f.compiled(options: options)
            #expect(native.inputSizes == [2] && native.outputSizes == [2])
            let got = try native([[0.5, 3.0]])[0]
            let want = real == .double ? [1.5, sin(0.5)] : [1.5, Double(sinf(0.5))]
            #expect(got == want, "\(index) \(real): \(got)")
        }
    }
}

/// Every special constant, spelled in double and float code and compiled by tcc (the JIT) and
/// gcc: each output equals the interpreter (double) or the constant rounded to float.
@Test(arguments: [CodegenOptions.RealType.double, .float])
func specialConstantsAreSpelledExactly(_ real: CodegenOptions.RealType) throws {
    let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 5e-324, -5e-324, 2.2250738585072009e-308,
                              1e-310, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e-45, 1.4e-45, 1e-40,
                              3.4028234663852886e38, 3.5e38, -1e39, 0.1, 1.0 / 3.0]
    let context = ExprContext()
    let x = context.symbol("x")
    let constants = specials.map { context.constant($0) }
    // Each constant alone (a literal stored) and times an input (a literal in arithmetic).
    let f = try Function("specials", inputs: [("x", Matrix(x))], outputs: [
        ("c", try Matrix(column: constants)), ("cx", try Matrix(column: constants.map { $0 * x })),
    ])
    func expected(_ value: Double) -> Double { real == .float ? Double(Float(value)) : value }
    var options = CodegenOptions()
    options.real = real
    let jit = try f.compiled(options: options)([[1.0]])
    options.withMain = true
    let directory = try CToolchain.temporaryDirectory("specials")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try CGenerator.generate([f], baseName: "specials", options: options).write(to: directory)
    let build = try CToolchain.run(["gcc"] + CToolchain.strictFlags + ["-O2", "-o", "\(directory)/p", "\(directory)/specials.c", "-lm"])
    #expect(build.succeeded, "\(build.errors)")
    let printed = CToolchain.numbers(try CToolchain.run(["\(directory)/p"], input: "1").output)
    #expect(printed.count == 2 * specials.count)
    for (k, value) in specials.enumerated() {
        for (path, got) in [("tcc", jit[0][k]), ("tcc·x", jit[1][k]), ("gcc", printed[k]), ("gcc·x", printed[specials.count + k])] {
            #expect(sameBits(got, expected(value)), "\(real) \(path): constant \(value) gave \(got)")
        }
    }
}

/// A float header included after a double one stays float: each file names its own types.
@Test func floatHeaderDoesNotDependOnWhatCameBefore() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = try Function("third", inputs: [("x", x)], outputs: [("y", Matrix(x[0] / 3 + x[1]))])
    let g = try Function("third_d", inputs: [("x", x)], outputs: [("y", Matrix(x[0] / 3 + x[1]))])
    let directory = try CToolchain.temporaryDirectory("headers")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (function, real, interface) in [(g, CodegenOptions.RealType.double, CodegenOptions.Interface.casadi), (f, .float, .plain)] {
        var options = CodegenOptions()
        options.real = real
        options.interface = interface
        options.headerOnly = true
        try CGenerator.generate([function], baseName: function.name, options: options).write(to: directory)
    }
    let program = """
    #include <stdio.h>
    #include "third_d.h"
    #include "third.h"
    int main(void) {
      float in[2] = {1.0f, 0.25f}, out[1], work[THIRD_WORK];
      third(in, out, work);
      printf("%.17g\\n", (double)out[0]);
      return 0;
    }
    """
    try program.write(toFile: "\(directory)/main.c", atomically: true, encoding: .utf8)
    let build = try CToolchain.run(["gcc"] + CToolchain.strictFlags + ["-Wdouble-promotion", "-I", directory, "-o", "\(directory)/p", "\(directory)/main.c", "-lm"])
    try #require(build.succeeded, "\(build.errors)")
    let printed = CToolchain.numbers(try CToolchain.run(["\(directory)/p"]).output)
    #expect(printed == [Double(Float(1) / 3 + 0.25)])
}

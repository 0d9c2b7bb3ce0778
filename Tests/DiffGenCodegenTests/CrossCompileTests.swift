import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// The float variant of the panda Jacobian builds for a Cortex-M4 with a single-precision FPU and
/// calls no double-precision math: no `sin`/`cos`, no soft-double helpers (`__aeabi_d*`).
@Test func floatPandaJacobianCrossCompilesForCortexM4() throws {
    try #require(CToolchain.available("arm-none-eabi-gcc"), "arm-none-eabi-gcc is missing; make test installs gcc-arm-none-eabi")
    let directory = try CToolchain.temporaryDirectory("arm")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let q = try panda.input(0)
    let jac = try Function("panda_jac", inputs: [("q", q)], outputs: [("jac", try sparseJacobian(of: panda.output(0), wrt: q))])
    var options = CodegenOptions()
    options.real = .float
    options.interface = .plain
    options.compiler = .tcc  // prototypes instead of <math.h>: no C library headers needed
    options.indexType = .int
    try CGenerator.generate([jac], baseName: "panda_jac_f32", options: options).write(to: directory)
    let object = "\(directory)/panda_jac_f32.o"
    let build = try CToolchain.run(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-mthumb",
                                    "-Os", "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wdouble-promotion", "-Wfloat-conversion",
                                    "-Werror", "-fstack-usage", "-c", "-o", object, "\(directory)/panda_jac_f32.c"])
    try #require(build.succeeded, "arm-none-eabi-gcc: \(build.errors)")
    let symbols = try CToolchain.run(["arm-none-eabi-nm", object]).output
    let undefined = symbols.split(separator: "\n").filter { $0.contains(" U ") }.map { $0.split(separator: " ").last.map(String.init) ?? "" }
    // Header-free (tcc-mode) code computes each angle's sine and cosine with one `sincosf`.
    #expect(undefined.contains("sincosf"), "expected single-precision libm calls, got \(undefined)")
    let doubles = undefined.filter { ["sin", "cos", "sincos", "sqrt", "pow", "exp", "log"].contains($0) || $0.hasPrefix("__aeabi_d") }
    #expect(doubles.isEmpty, "double-precision symbols in float code: \(doubles)")
    let size = try CToolchain.run(["arm-none-eabi-size", object]).output
    let stack = (try? String(contentsOfFile: "\(directory)/panda_jac_f32.su", encoding: .utf8)) ?? ""
    print("Cortex-M4 float panda Jacobian: \(size.split(separator: "\n").last ?? "")\n\(stack)")
    #expect(!stack.isEmpty)
}

/// Float code of a model that uses every op, cross-compiled for a Cortex-M4F (header-free and
/// with <math.h>): every undefined symbol of the object is a single-precision C math function;
/// any double libm function or soft-float double helper (`__aeabi_d*`, `__*df*`, float↔double
/// conversions) fails the test.
@Test(arguments: [CodegenOptions.Compiler.tcc, .standard])
func floatCodeOfEveryOpLinksNoDoublePrecision(_ compiler: CodegenOptions.Compiler) throws {
    try #require(CToolchain.available("arm-none-eabi-gcc"), "arm-none-eabi-gcc is missing; make test installs gcc-arm-none-eabi")
    let directory = try CToolchain.temporaryDirectory("arm-ops")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var builder = RandomExpressions(seed: 31, point: [0.3, -0.4, 1.2])
    let x = builder.inputs
    // Every op on the inputs themselves, then random compositions.
    var outputs = builder.everyOp(binary: (0, 1), exponent: 5)
    for _ in 0..<100 { outputs.append(builder.step().expr) }
    let f = try Function("every_op", inputs: [("x", x)], outputs: [("y", try Matrix(column: outputs))])
    var options = CodegenOptions()
    options.real = .float
    options.interface = .plain
    options.compiler = compiler
    try CGenerator.generate([f], baseName: "every_op", options: options).write(to: directory)
    let object = "\(directory)/every_op.o"
    let build = try CToolchain.run(["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard", "-mthumb",
                                    "-O2", "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Wdouble-promotion", "-Wfloat-conversion",
                                    "-Werror", "-c", "-o", object, "\(directory)/every_op.c"])
    try #require(build.succeeded, "arm-none-eabi-gcc: \(build.errors)")
    let undefined = try CToolchain.run(["arm-none-eabi-nm", "--undefined-only", "--format=just-symbols", object]).output
        .split(separator: "\n").map(String.init)
    let singlePrecision = Set(Op.allCases.compactMap(\.cMathFunction).map { $0 + "f" } + ["sincosf"])
    let offending = undefined.filter { !singlePrecision.contains($0) }
    #expect(offending.isEmpty, "\(compiler): symbols other than single-precision math functions: \(offending)")
    #expect(!undefined.isEmpty, "no math function called at all: the check would prove nothing")
}

private let embeddedDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("generated/embedded").path

/// The checked-in embedded example builds with its own Makefile and with CMake and its
/// toolchain file for a Cortex-M4F, links no double-precision symbol, and fits in small bounds
/// (it prints its code size and worst-case stack).
@Test func embeddedExampleCrossCompilesForCortexM4() throws {
    try #require(CToolchain.available("arm-none-eabi-gcc"), "arm-none-eabi-gcc is missing; make test installs gcc-arm-none-eabi")
    let directory = try CToolchain.temporaryDirectory("embedded")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for name in ["cartpole_f32.c", "cartpole_f32.h", "Makefile", "CMakeLists.txt", "arm-none-eabi.cmake"] {
        try FileManager.default.copyItem(atPath: "\(embeddedDirectory)/\(name)", toPath: "\(directory)/\(name)")
    }
    let flags = "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb -Os -fstack-usage -Wall -Wextra -Wpedantic -Wdouble-promotion -Werror"
    let make = try CToolchain.run(["make", "-C", directory, "static", "CC=arm-none-eabi-gcc", "AR=arm-none-eabi-ar", "CFLAGS=\(flags)"])
    try #require(make.succeeded, "make: \(make.errors)")
    let undefined = try CToolchain.run(["arm-none-eabi-nm", "--undefined-only", "--format=just-symbols", "\(directory)/cartpole_f32.o"]).output
        .split(separator: "\n").map(String.init)
    let singlePrecision = Set(Op.allCases.compactMap(\.cMathFunction).map { $0 + "f" } + ["sincosf"])
    #expect(!undefined.isEmpty && undefined.allSatisfy { singlePrecision.contains($0) }, "undefined symbols: \(undefined)")
    let size = try CToolchain.run(["arm-none-eabi-size", "\(directory)/cartpole_f32.o"]).output
    let text = Int(size.split(separator: "\n").last!.split(whereSeparator: { $0 == " " || $0 == "\t" }).first!)!
    let stackLines = try String(contentsOfFile: "\(directory)/cartpole_f32.su", encoding: .utf8).split(separator: "\n")
    let stack = stackLines.compactMap { $0.split(separator: "\t").dropFirst().first.flatMap { Int($0) } }.max() ?? 0
    print("embedded cart-pole on a Cortex-M4F (-Os): \(text) bytes of code, worst-case stack \(stack) bytes\n\(stackLines.joined(separator: "\n"))")
    #expect(text > 0 && text < 16_384 && stack > 0 && stack < 1024, "code \(text) bytes, stack \(stack) bytes")
    try #require(CToolchain.available("cmake"), "cmake is missing; make test installs it")
    let configure = try CToolchain.runUnblocked(["cmake", "-S", directory, "-B", "\(directory)/build", "-DCMAKE_TOOLCHAIN_FILE=\(directory)/arm-none-eabi.cmake"])
    try #require(configure.succeeded, "cmake: \(configure.errors)")
    let build = try CToolchain.runUnblocked(["cmake", "--build", "\(directory)/build", "--target", "cartpole_f32_static"])
    #expect(build.succeeded, "cmake --build: \(build.errors)")
    #expect(FileManager.default.fileExists(atPath: "\(directory)/build/libcartpole_f32.a"))
}

/// The float build agrees with the double path to float precision at 1000 random states: the
/// checked-in C compiled for the host, against the model's double interpreter.
@Test func embeddedFloatAgreesWithDoubleAtAThousandStates() throws {
    let directory = try CToolchain.temporaryDirectory("embedded-host")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let harness = """
    #include <stdio.h>
    #include "cartpole_f32.h"
    int main(void) {
      float x[4], u, next[4], a[16], b[4], work[STEP_WORK > LINEARIZATION_WORK ? STEP_WORK : LINEARIZATION_WORK];
      while (scanf("%f %f %f %f %f", &x[0], &x[1], &x[2], &x[3], &u) == 5) {
        step(x, &u, next, work);
        linearization(x, &u, a, b, work);
        for (int k = 0; k < 4; ++k) printf("%.9g\\n", (double)next[k]);
        for (int k = 0; k < A_NONZEROS; ++k) printf("%.9g\\n", (double)a[k]);
        for (int k = 0; k < 4; ++k) printf("%.9g\\n", (double)b[k]);
      }
      return 0;
    }
    """
    try harness.write(toFile: "\(directory)/main.c", atomically: true, encoding: .utf8)
    // A is sparse: the plain interface writes its nonzeros (compressed-column order).
    let model = try Model(contentsOf: URL(fileURLWithPath: embeddedDirectory).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/models/cartpole.dg").path)
    let aNonzeros = model.functions[1].outputs[0].count
    let perState = 4 + aNonzeros + 4
    let build = try CToolchain.run(["gcc", "-O2", "-std=c99", "-DA_NONZEROS=\(aNonzeros)", "-I", embeddedDirectory, "-o", "\(directory)/host",
                                    "\(directory)/main.c", "\(embeddedDirectory)/cartpole_f32.c", "-lm"])
    try #require(build.succeeded, "\(build.errors)")
    let step = Interpreter(model.functions[0]), linearization = Interpreter(model.functions[1])
    var rng = SeededRandom(seed: 1000)
    let states = (0..<1000).map { _ in (0..<5).map { _ in Double(Float(rng.uniform(-1...1))) } }
    let input = states.map { $0.map { "\(Float($0))" }.joined(separator: " ") }.joined(separator: "\n")
    let printed = CToolchain.numbers(try CToolchain.run(["\(directory)/host"], input: input).output)
    try #require(printed.count == perState * 1000, "\(printed.count) numbers printed")
    var worst = 0.0
    for (k, state) in states.enumerated() {
        let x = Array(state[0..<4]), u = [state[4]]
        let want = try step.evaluate([x, u])[0] + (try linearization.evaluate([x, u])).flatMap { $0 }
        for (got, expected) in zip(printed[(perState * k)..<(perState * k + perState)], want) {
            worst = max(worst, abs(got - expected) / max(1, abs(expected)))
        }
    }
    #expect(worst < 1e-5, "float differs from double by \(worst) (relative)")
}

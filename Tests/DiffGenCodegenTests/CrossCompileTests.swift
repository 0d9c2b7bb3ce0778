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

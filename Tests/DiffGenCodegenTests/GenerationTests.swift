import DiffGenAD
import DiffGenCodegen
import DiffGenCore
import DiffGenTestSupport
import Foundation
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

private func sample() throws -> Function {
    let context = ExprContext()
    let x = context.vector("x", count: 2), y = context.symbol("y")
    return try Function("sample", inputs: [("x", x), ("y", Matrix(y))], outputs: [
        ("s", try Matrix(column: [sin(x[0]) * y, pow(x[1], 5), fmin(x[0], y), x[0] / 4 - .infinity])),
        ("p", Matrix(ifElse(x[0] > y, x[0] * x[1], hypot(x[1], context.constant(0.1))))),
    ])
}

@Test func embeddedTemplatesEqualTemplatesFolder() throws {
    let folder = repository.appendingPathComponent("Templates")
    let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter {
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path, isDirectory: &isDirectory)
        return !isDirectory.boolValue
    }
    #expect(Set(files) == Set(EmbeddedTemplates.files.keys), "run `make templates`")
    for file in files {
        let onDisk = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        #expect(EmbeddedTemplates.files[file] == onDisk, "Templates/\(file) differs from the embedded copy: run `make templates`")
    }
}

/// Golden files of emitted C, byte for byte. `RECORD_GOLDEN=1` rewrites them and fails.
@Test(arguments: ["casadi_double", "casadi_float", "plain_double", "header_only", "tcc_double"])
func goldenFiles(_ variant: String) throws {
    var options = CodegenOptions()
    switch variant {
    case "casadi_float": options.real = .float
    case "plain_double": options.interface = .plain
    case "header_only":
        options.interface = .plain
        options.headerOnly = true
    case "tcc_double": options.compiler = .tcc
    default: break
    }
    options.prefix = "dg_"
    let code = try CGenerator.generate([try sample()], baseName: variant, options: options)
    let text = (code.source ?? "") + "\n/* ---- header ---- */\n" + code.header
    let golden = repository.appendingPathComponent("Tests/DiffGenCodegenTests/Golden/\(variant).txt")
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil {
        try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: golden, atomically: true, encoding: .utf8)
        Issue.record("recorded \(golden.lastPathComponent); unset RECORD_GOLDEN and run again")
        return
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(text == expected, "emitted C for \(variant) changed; inspect and rerun with RECORD_GOLDEN=1")
}

@Test func headerOnlyAndPlainInterfacesCompile() throws {
    let directory = try CToolchain.temporaryDirectory("plain")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var options = CodegenOptions()
    options.interface = .plain
    options.headerOnly = true
    try CGenerator.generate([try sample()], baseName: "sample", options: options).write(to: directory)
    let main = """
    #include "sample.h"
    #include <stdio.h>
    int main(void) {
      double x[2] = {0.5, -0.25}, y = 2.0, s[4], p, work[SAMPLE_WORK];
      sample(x, &y, s, &p, work);
      printf("%.17g\\n%.17g\\n", s[0], p);
      return 0;
    }
    """
    try main.write(toFile: "\(directory)/main.c", atomically: true, encoding: .utf8)
    let build = try CToolchain.run(["gcc"] + CToolchain.strictFlags + ["-I", directory, "-o", "\(directory)/main", "\(directory)/main.c", "-lm"])
    try #require(build.succeeded, "\(build.errors)")
    let values = CToolchain.numbers(try CToolchain.run(["\(directory)/main"]).output)
    let expected = try Interpreter(try sample()).evaluate([[0.5, -0.25], [2.0]])
    #expect(values == [expected[0][0], expected[1][0]])
}

@Test func generationIsDeterministic() throws {
    let first = try CGenerator.generate([try sample()], baseName: "a")
    let second = try CGenerator.generate([try sample()], baseName: "a")
    #expect(first.source == second.source && first.header == second.header)
}

@Test func badNamesAndOutputFoldersAreClearErrors() throws {
    let context = ExprContext()
    let x = context.symbol("x")
    func function(_ name: String) throws -> Function { try Function(name, inputs: [("x", Matrix(x))], outputs: [("y", Matrix(sin(x)))]) }
    #expect(throws: CodegenError.noFunctions) { try CGenerator.generate([], baseName: "empty") }
    #expect(throws: FunctionError.invalidName("my-fn", reason: "only ASCII letters, digits and underscores are allowed", function: "my-fn")) {
        try function("my-fn")
    }
    var prefixed = CodegenOptions()
    prefixed.prefix = "my-"
    #expect(throws: CodegenError.invalidIdentifier("my-f", reason: "only ASCII letters, digits and underscores are allowed")) {
        try CGenerator.generate([try function("f")], baseName: "ok", options: prefixed)
    }
    #expect(throws: CodegenError.invalidIdentifier("double", reason: "it is a C keyword")) {
        try CGenerator.generate([try function("double")], baseName: "ok")
    }
    #expect(throws: CodegenError.invalidIdentifier("1st", reason: "it must start with a letter or underscore")) {
        try CGenerator.generate([try function("f")], baseName: "1st")
    }
    let code = try CGenerator.generate([try function("f")], baseName: "ok")
    #expect(throws: CodegenError.self) { try code.write(to: "/proc/diffgen-cannot-write-here") }
    // A failed write leaves nothing behind; a successful one leaves exactly the two files.
    let directory = try CToolchain.temporaryDirectory("atomic")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try code.write(to: directory)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["ok.c", "ok.h"])
}

/// The generated Makefile and CMakeLists.txt build the code into a static and a shared library
/// that link, and the Makefile keeps the flags a user passes.
@Test func buildFilesBuildAStaticAndASharedLibrary() throws {
    let directory = try CToolchain.temporaryDirectory("build")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var options = CodegenOptions()
    options.withBuildFiles = true
    try CGenerator.generate([try sample()], baseName: "sample", options: options).write(to: directory)
    // A user's flag that breaks the build proves it reached the compiler.
    let broken = try CToolchain.run(["make", "-C", directory, "CFLAGS=-O1 -DDIFFGEN_FLAG_SEEN -Werror=no-such-warning-xyz"])
    #expect(!broken.succeeded && broken.errors.contains("no-such-warning-xyz"), "the user's CFLAGS were dropped: \(broken.output)")
    let make = try CToolchain.run(["make", "-C", directory, "CFLAGS=-O1 -Wall -Wextra -Werror"])
    try #require(make.succeeded, "make: \(make.errors)")
    #expect(make.output.contains("-O1 -Wall -Wextra -Werror -std=c99"), "\(make.output)")
    #expect(FileManager.default.fileExists(atPath: "\(directory)/libsample.a"))
    #expect(FileManager.default.fileExists(atPath: "\(directory)/libsample.so"))
    try #require(CToolchain.available("cmake"), "cmake is missing; make test installs it")
    let build = "\(directory)/cmake-build"
    let configure = try CToolchain.runUnblocked(["cmake", "-S", directory, "-B", build])
    try #require(configure.succeeded, "cmake: \(configure.errors)")
    let compile = try CToolchain.runUnblocked(["cmake", "--build", build])
    try #require(compile.succeeded, "cmake --build: \(compile.errors)")
    #expect(FileManager.default.fileExists(atPath: "\(build)/libsample.a"))
    #expect(FileManager.default.fileExists(atPath: "\(build)/libsample.so"))
    // The archive links into a program that calls the function through its CasADi interface.
    let main = """
    #include "sample.h"
    #include <stdio.h>
    int main(void) {
      const double x[2] = {0.5, -0.25}, y = 2.0;
      double s[4], p, w[8];
      const double* arg[2] = {x, &y};
      double* res[2] = {s, &p};
      sample(arg, res, 0, w, 0);
      printf("%.17g\\n", p);
      return 0;
    }
    """
    try main.write(toFile: "\(directory)/main.c", atomically: true, encoding: .utf8)
    let link = try CToolchain.run(["gcc", "-I", directory, "-o", "\(directory)/main", "\(directory)/main.c", "\(build)/libsample.a", "-lm"])
    try #require(link.succeeded, "\(link.errors)")
    let value = CToolchain.numbers(try CToolchain.run(["\(directory)/main"]).output)
    #expect(value == [try Interpreter(try sample()).evaluate([[0.5, -0.25], [2.0]])[1][0]])
}

/// The generated C compiles as C++ (g++ and clang++, strict), with C linkage for its symbols,
/// in both interfaces, double and float, whole file and header-only.
@Test func generatedCodeCompilesAsCPlusPlus() throws {
    let directory = try CToolchain.temporaryDirectory("cplusplus")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (k, (interface, real, headerOnly)) in [(CodegenOptions.Interface.casadi, CodegenOptions.RealType.double, false),
                                                (.casadi, .float, false), (.plain, .float, false), (.plain, .double, true)].enumerated() {
        var options = CodegenOptions()
        options.interface = interface
        options.real = real
        options.headerOnly = headerOnly
        let base = "cpp\(k)"
        try CGenerator.generate([try sample()], baseName: base, options: options).write(to: directory)
        let file = headerOnly ? "\(directory)/\(base)_main.cpp" : "\(directory)/\(base).c"
        if headerOnly { try "#include \"\(base).h\"\nint main() { return 0; }\n".write(toFile: file, atomically: true, encoding: .utf8) }
        for compiler in ["g++", "clang++"] where CToolchain.available(compiler) {
            let object = "\(directory)/\(base)-\(compiler).o"
            let run = try CToolchain.run([compiler, "-x", "c++", "-std=c++11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-I", directory, "-c", "-o", object, file])
            #expect(run.succeeded, "\(compiler) \(interface) \(real): \(run.errors)")
            if !headerOnly && run.succeeded {
                let symbols = try CToolchain.run(["nm", "--defined-only", "--format=just-symbols", object]).output
                #expect(symbols.split(separator: "\n").contains("sample"), "\(compiler): no unmangled sample in \(symbols)")
            }
        }
    }
}

/// The header describes each function's ports: shapes, operation count, work size and, for a
/// sparse output, its compressed-column pattern (the order its nonzeros are stored in).
@Test func headersDescribePortsAndSparsity() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let y = try Matrix(column: [x[0] * x[1], sin(x[2]), x[0]])
    let jacobian = try sparseJacobian(of: y, wrt: x)
    let f = try Function("described", inputs: [("x", x)], outputs: [("y", y), ("J", jacobian)])
    for interface in [CodegenOptions.Interface.casadi, .plain] {
        var options = CodegenOptions()
        options.interface = interface
        let header = try CGenerator.generate([f], baseName: "described", options: options).header
        let starts = jacobian.pattern.columnStarts.map { "\($0)" }.joined(separator: ", ")
        let rows = jacobian.pattern.rowIndices.map { "\($0)" }.joined(separator: ", ")
        #expect(header.contains("described: (x[3x1]) -> (y[3x1], J[3x3, 4 nonzeros])"), "\(header)")
        #expect(header.contains("J: column starts [\(starts)], rows [\(rows)]"), "\(header)")
    }
}

/// With int indices the generated C is C89 (declarations before statements, restrict only
/// where the compiler has it): every op, split into parts, both interfaces and both ways of
/// reaching the math functions, strict gcc and clang with -std=c89.
@Test func generatedCodeCompilesAsC89WithIntIndices() throws {
    let directory = try CToolchain.temporaryDirectory("c89")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var builder = RandomExpressions(seed: 89, point: [0.3, -0.4, 1.2])
    var outputs = builder.everyOp(binary: (0, 1), exponent: 3)
    for _ in 0..<200 { outputs.append(builder.step().expr) }
    let f = try Function("every_op", inputs: [("x", builder.inputs)], outputs: [("y", try Matrix(column: outputs))])
    for (k, (interface, compiler, real)) in [(CodegenOptions.Interface.casadi, CodegenOptions.Compiler.standard, CodegenOptions.RealType.double),
                                             (.plain, .standard, .float), (.casadi, .tcc, .double), (.plain, .tcc, .float)].enumerated() {
        var options = CodegenOptions()
        options.interface = interface
        options.compiler = compiler
        options.real = real
        options.indexType = .int
        options.maxStatementsPerFunction = 60
        let base = "c89_\(k)"
        try CGenerator.generate([f], baseName: base, options: options).write(to: directory)
        for cc in ["gcc", "clang"] where CToolchain.available(cc) {
            let run = try CToolchain.run([cc, "-std=c89", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-c", "-o", "\(directory)/\(base).o", "\(directory)/\(base).c"])
            #expect(run.succeeded, "\(cc) \(interface) \(compiler) \(real): \(run.errors.prefix(2000))")
        }
    }
}

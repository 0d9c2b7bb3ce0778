import DiffGen
import DiffGenTestSupport
import Testing

/// Names are checked where they enter: a `Function` takes C identifiers only (so nothing a user
/// names can close a C comment or string), and a file refuses names that clash with C keywords,
/// the C library, or each other's generated helpers, before any C is written.
private func function(_ name: String, input: String = "x", output: String = "y") throws -> Function {
    let context = ExprContext()
    let x = context.symbol("x")
    return try Function(name, inputs: [(input, Matrix(x))], outputs: [(output, Matrix(sin(x)))])
}

@Test func portNamesThatWouldEndAComment() throws {
    #expect(throws: FunctionError.invalidName("a*/ int evil; /*", reason: "only ASCII letters, digits and underscores are allowed", function: "f")) {
        try function("f", input: "a*/ int evil; /*")
    }
    #expect(throws: FunctionError.invalidName("y\"", reason: "only ASCII letters, digits and underscores are allowed", function: "f")) {
        try function("f", output: "y\"")
    }
    #expect(throws: FunctionError.invalidName("", reason: "it is empty", function: "f")) { try function("f", output: "") }
    #expect(throws: FunctionError.invalidName("9lives", reason: "it must start with a letter or underscore", function: "9lives")) {
        try function("9lives")
    }
}

@Test func namesClashingWithCAreRefused() throws {
    #expect(throws: CodegenError.invalidIdentifier("while", reason: "it is a C keyword")) {
        try CGenerator.generate([try function("while")], baseName: "ok")
    }
    for libm in ["sin", "cosf", "sincos", "fabs", "hypotf", "printf"] {
        #expect(throws: CodegenError.invalidIdentifier(libm, reason: "it is a C library function the generated code may call")) {
            try CGenerator.generate([try function(libm)], baseName: "ok")
        }
    }
    #expect(throws: CodegenError.invalidIdentifier("__f", reason: "names starting with __ or _ and a capital are reserved in C")) {
        try CGenerator.generate([try function("__f")], baseName: "ok")
    }
}

@Test func functionsOfOneFileMayNotClash() throws {
    #expect(throws: CodegenError.nameClash("f", first: "function 'f'", second: "function 'f'")) {
        try CGenerator.generate([try function("f"), try function("f")], baseName: "ok")
    }
    #expect(throws: CodegenError.nameClash("f_eval", first: "function 'f'", second: "function 'f_eval'")) {
        try CGenerator.generate([try function("f"), try function("f_eval")], baseName: "ok")
    }
    #expect(throws: CodegenError.nameClash("f_n_in", first: "function 'f'", second: "function 'f_n_in'")) {
        try CGenerator.generate([try function("f"), try function("f_n_in")], baseName: "ok")
    }
    var plain = CodegenOptions()
    plain.interface = .plain
    #expect(throws: CodegenError.nameClash("F_WORK", first: "function 'f'", second: "function 'F'")) {
        try CGenerator.generate([try function("f"), try function("F")], baseName: "ok", options: plain)
    }
    // Distinct names that only look alike are fine, and the file compiles.
    let code = try CGenerator.generate([try function("f"), try function("f_"), try function("g")], baseName: "ok")
    #expect(code.source!.contains("int f_(const double** arg"))
}

/// Misuse of the checked API is a thrown error with a message, never a trap.
@Test func checkedCallsThrowOnMisuse() throws {
    let native = try function("checked").compiled()
    #expect(throws: NativeFunction.CallError.wrongInputCount(function: "checked", expected: 1, got: 2)) { try native([[1], [2]]) }
    #expect(throws: NativeFunction.CallError.wrongInputSize(function: "checked", input: 0, expected: 1, got: 3)) { try native([[1, 2, 3]]) }
    let f = try function("ports")
    #expect(throws: FunctionError.noSuchPort(index: 1, count: 1, kind: "output", function: "ports")) { try f.output(1) }
    #expect(throws: FunctionError.noSuchPort(index: -1, count: 1, kind: "input", function: "ports")) { try f.input(-1) }
    let interpreter = Interpreter(f)
    #expect(throws: FunctionError.wrongInputCount(expected: 1, got: 0, function: "ports")) { try interpreter.evaluate([]) }
    // Expressions of two contexts in one function.
    let other = ExprContext().symbol("z")
    let context = ExprContext()
    let x = context.symbol("x")
    #expect(throws: FunctionError.mixedContexts(port: "z", function: "mixed")) {
        try Function("mixed", inputs: [("x", Matrix(x)), ("z", Matrix(other))], outputs: [("y", Matrix(x))])
    }
}

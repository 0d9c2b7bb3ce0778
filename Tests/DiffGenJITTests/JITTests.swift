import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

@Test func pandaJacobianThroughLibTCCMatchesTheInterpreter() throws {
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let q = try panda.input(0)
    let f = try Function("panda", inputs: [("q", q)], outputs: [
        ("f", panda.output(0)), ("jac", try jacobian(of: panda.output(0), wrt: q)),
    ])
    let native = try f.compiled()
    #expect(native.inputSizes == [7] && native.outputSizes == [12, 84])
    let interpreter = Interpreter(f)
    var rng = SeededRandom(seed: 9)
    for _ in 0..<50 {
        let point = (0..<7).map { _ in rng.uniform(-2...2) }
        let got = try native([point]), want = try interpreter.evaluate([point])
        #expect(got[0].map(\.bitPattern) == want[0].map(\.bitPattern), "f differs (seed 9)")
        #expect(got[1].map(\.bitPattern) == want[1].map(\.bitPattern), "jac differs (seed 9)")
    }
}

@Test func randomGraphsThroughLibTCCMatchTheInterpreter() throws {
    for seed in UInt64(0)..<40 {
        var rng = SeededRandom(seed: seed &+ 300)
        let point = RandomExpressions.randomPoint(3, using: &rng, specials: seed % 3 == 0)
        var builder = RandomExpressions(seed: seed &+ 300, point: point)
        var outputs: [Expr] = []
        for _ in 0..<80 { outputs.append(builder.step().expr) }
        let f = try Function("random", inputs: [("x", builder.inputs)], outputs: [("y", try Matrix(column: outputs))])
        let got = try f.compiled()([point])[0]
        let want = try Interpreter(f).evaluate([point])[0]
        for k in want.indices where !sameBits(got[k], want[k]) {
            Issue.record("seed \(seed), output \(k) \(builder.context.graph.line(outputs[k].id)): JIT \(got[k]), interpreter \(want[k])")
        }
    }
}

@Test func callsAllocateNothing() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let f = try Function("alloc", inputs: [("x", x)], outputs: [("y", try Matrix(column: [sin(x[0]) * x[1], x.norm()]))])
    let native = try f.compiled()
    var input = [0.1, 0.2, 0.3], output = [0.0, 0.0]
    var work = [Double](repeating: 0, count: max(native.workSize, 1))
    let count = try input.withUnsafeMutableBufferPointer { inBuffer in
        try output.withUnsafeMutableBufferPointer { outBuffer in
            try work.withUnsafeMutableBufferPointer { workBuffer in
                var inputs: [UnsafePointer<Double>?] = [UnsafePointer(inBuffer.baseAddress)]
                var outputs: [UnsafeMutablePointer<Double>?] = [outBuffer.baseAddress]
                return try inputs.withUnsafeMutableBufferPointer { ins in
                    try outputs.withUnsafeMutableBufferPointer { outs in
                        try heapAllocations {
                            for k in 0..<100_000 {
                                inBuffer[0] = Double(k) * 1e-5
                                native.call(inputs: ins.baseAddress!, outputs: outs.baseAddress!, work: workBuffer.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
    #expect(count == 0, "\(count) allocations in 100 000 calls")
    #expect(output[1] == (input[0] * input[0] + input[1] * input[1] + input[2] * input[2]).squareRoot())
}

@Test func compileErrorsCarryTccsMessageAndTheLine() throws {
    let source = "double ok(double x) { return x; }\ndouble broken(double x) { return x +; }\n"
    let error = #expect(throws: JITError.self) { try JITModule(source: source, symbols: ["ok"]) }
    #expect(error?.line == 2)
    #expect(error?.sourceLine == "double broken(double x) { return x +; }")
    #expect(error?.message.contains("error") == true)
}

/// Code is mapped read+execute, globals read+write: generated code may keep a counter or fill a
/// static table on its first call, and no page is ever writable and executable.
@Test func codeIsExecutableAndDataWritableNeverBoth() throws {
    let source = """
    static int calls;
    static double table[512];
    static const double scale[2] = {2.0, 3.0};
    double twice(double x) { calls++; table[calls % 512] = x; return scale[0] * x; }
    int count(void) { return calls; }
    """
    let module = try JITModule(source: source, symbols: ["twice", "count", "dg_tcc_data_boundary"])
    let twice = unsafeBitCast(try #require(module.address(of: "twice")), to: (@convention(c) (Double) -> Double).self)
    let count = unsafeBitCast(try #require(module.address(of: "count")), to: (@convention(c) () -> Int32).self)
    #expect(twice(21) == 42 && twice(1) == 2 && count() == 2)
    // Read to the end: /proc files report size 0, and a sized read stops early.
    let maps = String(decoding: try #require(FileHandle(forReadingAtPath: "/proc/self/maps")).readDataToEndOfFile(), as: UTF8.self)
    func permissions(at pointer: UnsafeRawPointer?) -> String? {
        let address = UInt(bitPattern: pointer)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let range = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            if range.count == 2, range[0] <= address, address < range[1] { return String(fields[1]) }
        }
        return nil
    }
    #expect(permissions(at: module.address(of: "twice"))?.hasPrefix("r-x") == true)
    #expect(permissions(at: module.address(of: "dg_tcc_data_boundary"))?.hasPrefix("rw-") == true)
    for line in maps.split(separator: "\n") where line.split(separator: " ")[1].hasPrefix("rwx") {
        let range = line.split(separator: " ")[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
        let code = UInt(bitPattern: module.address(of: "twice"))
        #expect(!(range[0] <= code && code < range[0] + UInt(module.codeSize) + 4096), "writable and executable: \(line)")
    }
}

/// 10⁴ compile/free cycles, measured in a fresh process (tests running in parallel in this one
/// would move its RSS): the resident set must not grow.
@Test func compileAndFreeCyclesDoNotGrowMemory() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diffgen-bench").path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build all products first (make test does)")
    let run = try CToolchain.run([binary, "jit-soak", "10000"])
    try #require(run.succeeded, "\(run.errors)")
    let grown = try #require(Int(run.output.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(grown < 1024, "RSS grew by \(grown) KiB over 10 000 compile/free cycles")
}

@Test func callablesKeepTheirModuleAlive() throws {
    var native: NativeFunction?
    do {
        let context = ExprContext()
        let x = context.symbol("x")
        native = try Function("keep", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(x * 3))]).compiled()
    }
    #expect(try native!([[2]]) == [[6]])
}

@Test func eightThreadsCompileAndCallConcurrently() async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        for t in 0..<8 {
            group.addTask {
                let context = ExprContext()
                let x = context.vector("x", count: 2)
                let f = try Function("t\(t)", inputs: [("x", x)], outputs: [("y", Matrix(sin(x[0]) * Double(t) + x[1]))])
                let native = try f.compiled()
                let interpreter = Interpreter(f)
                for k in 0..<2000 {
                    let point = [Double(k) * 0.001, Double(t)]
                    if try native([point])[0][0] != (try interpreter.evaluate([point]))[0][0] { return false }
                }
                return true
            }
        }
        for try await ok in group { #expect(ok) }
    }
}

/// `make bench`'s harness on the smallest problem, end to end, once (agreement only, no timing).
@Test func benchmarkHarnessSmoke() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diffgen-bench").path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build all products first (make test does)")
    let run = try CToolchain.run([binary, "smoke"])
    #expect(run.succeeded, "diffgen-bench smoke failed:\n\(run.output)\n\(run.errors)")
    #expect(run.output.contains("smoke OK"))
    #expect(run.output.contains("| panda_fk/jac |"))
}

/// Compiling the same function twice reuses the live module; once released, it is freed.
@Test func identicalSourceReusesTheCompiledModule() throws {
    let context = ExprContext()
    let x = context.symbol("x")
    let f = try Function("cached_\(UInt32.random(in: 0...UInt32.max))", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(exp(x) * 2))])
    let first = try f.compiled()
    let second = try f.compiled()
    #expect(first.entryAddress == second.entryAddress, "the second compile should reuse the first module")
    #expect(try second([[0]]) == [[2]])
    weak var module: JITModule?
    do {
        let third = try f.compiled()
        module = third.compiledModule
    }
    #expect(module != nil)  // still held by first and second
}

/// tcc code computes sin(u) and cos(u) of one argument with a single `sincos` call, also for
/// computed arguments and when both are outputs only; results stay bit-identical.
@Test func sineAndCosineOfOneArgumentShareOneCall() throws {
    let context = ExprContext()
    let x = context.symbol("x"), y = context.symbol("y")
    let u = x * y, v = x + y
    let outputs = [sin(u) * cos(u) + cos(u), sin(u), cos(u), sin(v) * 2, cos(x) * sin(x)]
    let f = try Function("trig", inputs: [("x", try Matrix(column: [x])), ("y", try Matrix(column: [y]))],
                         outputs: [("z", try Matrix(column: outputs))])
    var options = CodegenOptions()
    options.compiler = .tcc
    let source = try CGenerator.generate([f], baseName: "trig", options: options).source ?? ""
    #expect(source.components(separatedBy: "  sincos(").count - 1 == 2, "one call for u, one for x:\n\(source)")
    let native = try f.compiled()
    let interpreter = Interpreter(f)
    var rng = SeededRandom(seed: 21)
    for _ in 0..<100 {
        let point = [[rng.uniform(-40...40)], [rng.uniform(-3...3)]]
        #expect(try native(point)[0].map(\.bitPattern) == (try interpreter.evaluate(point))[0].map(\.bitPattern))
    }
}

/// A workspace evaluates with named, shaped ports and allocates nothing across 10⁵ calls.
@Test func workspacesRunWithoutAllocating() throws {
    let context = ExprContext()
    let q = context.vector("q", count: 3)
    let f = try Function("arm", inputs: [("q", q)], outputs: [
        ("p", try Matrix(column: [cos(q[0]) + cos(q[0] + q[1]), sin(q[0]) + sin(q[0] + q[1]), q[2]])),
        ("J", try jacobian(of: try Matrix(column: [cos(q[0]) + cos(q[0] + q[1]), q[2] * q[1]]), wrt: q)),
    ])
    let native = try f.compiled()
    #expect(native.inputNames == ["q"] && native.outputNames == ["p", "J"])
    #expect(native.outputShapes.map { [$0.rows, $0.cols] } == [[3, 1], [2, 3]])
    let workspace = Workspace(native)
    let input = try #require(workspace.input("q")), p = try #require(workspace.output("p"))
    #expect(workspace.input("nope") == nil)
    let interpreter = Interpreter(f)
    let count = try heapAllocations {
        for k in 0..<100_000 {
            input[0] = Double(k) * 1e-5
            input[1] = 0.3
            workspace.run()
        }
    }
    #expect(count == 0, "\(count) allocations in 10⁵ runs")
    let want = try interpreter.evaluate([[0.99999, 0.3, 0]])
    #expect(Array(p) == want[0])
    #expect(Array(workspace.output(1)) == want[1])
}

import ArgumentParser
import DiffGen
import Foundation
import ReferenceProblems

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffgen-bench",
        abstract: "DiffGen against CasADi on the reference problems, measured side by side in one run.",
        subcommands: [Run.self, Smoke.self, Robots.self, BatchBench.self, RepeatBench.self, OptimalControl.self, AcadosBench.self, ColPackBench.self, ScaleCommand.self, MemoryProbe.self, Show.self, JITSoak.self, JITCacheProbe.self, ModelRoundTrip.self, URDFCallable.self, CodegenLoop.self, ColoringLoop.self, CallableLoop.self, Emit.self],
        defaultSubcommand: Run.self
    )
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the benchmarks (default).")

    @Flag(help: "Small problems and few repetitions: under 3 minutes on 2 cores.")
    var quick = false

    @Option(help: "Where to write the raw results.")
    var json = "bench/results.json"

    @Option(help: "Repetitions per measurement (interleaved DiffGen, CasADi, DiffGen, …).")
    var repetitions: Int?

    @Option(help: "Only the code-and-runs section, for these products (e.g. cartpole_ms/jac_g); `derivatives` or `colorings`: only that section.")
    var only: [String] = []

    mutating func run() throws {
        let reps = repetitions ?? (quick ? 3 : 7)
        let twin = try CasADiTwin()
        let versions = try twin.request(["cmd": "version"])
        var report = Report(quick: quick, casadiVersion: versions["casadi"] as? String ?? "?")
        if only == ["colorings"] {
            try measureColorings(twin: twin, quick: quick, report: &report)
            return
        }
        if only == ["derivatives"] {
            try measureDerivatives(twin: twin, reps: reps, quick: quick, report: &report)
            return
        }
        if !only.isEmpty {
            try measureCodeAndRuns(twin: twin, quick: quick, labels: only, report: &report)
            return
        }
        let problems = Problem.all(quick: quick)

        print("# DiffGen vs CasADi \(report.casadiVersion) — \(quick ? "quick" : "full") run, \(reps) interleaved repetitions, thread CPU time medians\n")
        try checkValues(problems, twin: twin, report: &report)
        try measureBuild(problems, twin: twin, reps: reps, report: &report)
        try measureDerivatives(twin: twin, reps: reps, quick: quick, report: &report)
        try measureColorings(twin: twin, quick: quick, report: &report)
        try measureCodeAndRuns(twin: twin, quick: quick, report: &report)
        if !quick { try measureScale(twin: twin, report: &report) }
        try measureMemory(quick: quick, report: &report)
        try checkFloors(reps: reps, report: &report)
        try report.write(to: json)
        print("\nraw samples: \(json)")
    }

    /// Both twins must agree at the evaluation point and at seeded random points before timing.
    func checkValues(_ problems: [Problem], twin: CasADiTwin, report: inout Report) throws {
        print("## Values (DiffGen interpreter vs CasADi, max relative difference)\n")
        print("| problem | points | max rel. diff | verdict |")
        print("| --- | --- | --- | --- |")
        for problem in problems where problem.size < 1_000_000 {
            let function = try problem.build(ExprContext())
            var points = [problem.defaultInputs(function)]
            var state: UInt64 = 0x5EED
            for _ in 0..<3 {
                points.append(points[0].map { input in
                    input.map { v in
                        state = state &* 6364136223846793005 &+ 1442695040888963407
                        return v + 0.05 * (Double(state >> 11) / Double(1 << 53) - 0.5)
                    }
                })
            }
            let casadi = try twin.request(["cmd": "eval", "problem": problem.twinName, "size": problem.size, "points": points])
            let theirs = casadi["values"] as? [[Double]] ?? []
            let interpreter = Interpreter(function)
            var worst = 0.0
            for (k, point) in points.enumerated() {
                let ours = try interpreter.evaluate(point).flatMap { $0 }
                for (a, b) in zip(ours, theirs[k]) {
                    worst = max(worst, Swift.abs(a - b) / max(1, Swift.abs(b)))
                }
                if ours.count != theirs[k].count { worst = .infinity }
            }
            let ok = worst <= 1e-9
            report.values[problem.label] = worst
            print("| \(problem.label) | \(points.count) | \(String(format: "%.1e", worst)) | \(ok ? "same" : "DIFFERENT") |")
            guard ok else { throw BenchError("\(problem.label): DiffGen and CasADi disagree (\(worst)); not timing it") }
        }
    }

    func measureBuild(_ problems: [Problem], twin: CasADiTwin, reps: Int, report: inout Report) throws {
        print("\n## Expression build (symbolic)\n")
        print("| problem | nodes | ops DiffGen | ops CasADi (cse) | build DiffGen | build CasADi | ratio | ns/node DiffGen |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for problem in problems {
            var ours: [Double] = [], theirs: [Double] = []
            var nodes = 0, ops = 0, casadiOps = 0
            let casadiReps = problem.size >= 1_000_000 ? 1 : reps
            for rep in 0..<reps {
                var function: Function? = nil
                let context = ExprContext()
                ours.append(try cpuSeconds { function = try problem.build(context) })
                nodes = context.graph.count
                ops = function!.operationCount
                if rep < casadiReps {
                    let answer = try twin.request(["cmd": "build", "problem": problem.twinName, "size": problem.size, "count_ops": rep == 0])
                    theirs.append(answer["seconds"] as? Double ?? .nan)
                    if rep == 0 { casadiOps = answer["ops_cse"] as? Int ?? 0 }
                }
            }
            let (a, b) = (median(ours), median(theirs))
            report.build[problem.label] = ["diffgen": ours, "casadi": theirs, "nodes": [Double(nodes)], "ops": [Double(ops), Double(casadiOps)]]
            print("| \(problem.label) | \(nodes) | \(ops) | \(casadiOps) | \(formatSeconds(a)) | \(formatSeconds(b)) | \(format3(a / b)) | \(format3(a / Double(nodes) * 1e9)) |")
            Summary.record("\(problem.label): expression build", diffgen: a, anchor: b, anchorName: "CasADi", unit: "s")
            Summary.record("\(problem.label): operations", diffgen: Double(ops), anchor: Double(casadiOps), anchorName: "CasADi (cse)", unit: "operations")
        }
    }

    private func measureMemory(quick: Bool, report: inout Report) throws {
        print("\n## Memory per node (peak RSS growth while building, fresh process each)\n")
        print("| problem | nodes DiffGen | bytes/node DiffGen | nodes CasADi | bytes/node CasADi | ratio |")
        print("| --- | --- | --- | --- | --- | --- |")
        let cases = quick ? [("deep_chain_1e5", 100_000)] : [("deep_chain_1e5", 100_000), ("deep_chain_1e6", 1_000_000)]
        for (label, steps) in cases {
            let self_ = CommandLine.arguments[0]
            let line = try runCapturing([self_, "memory-probe", label])
            let parts = line.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            guard parts.count == 2 else { throw BenchError("memory probe printed: \(line)") }
            let ours = Double(parts[1]) / Double(parts[0])
            let casadi = try CasADiTwin.memory(problem: "deep_chain", size: steps)
            let theirs = Double(casadi.bytes) / Double(casadi.nodes)
            report.memory[label] = ["diffgen_nodes": Double(parts[0]), "diffgen_bytes": Double(parts[1]),
                                    "casadi_nodes": Double(casadi.nodes), "casadi_bytes": Double(casadi.bytes)]
            print("| \(label) | \(parts[0]) | \(format3(ours)) | \(casadi.nodes) | \(format3(theirs)) | \(format3(ours / theirs)) |")
            Summary.record("\(label): bytes per node", diffgen: ours, anchor: theirs, anchorName: "CasADi", unit: "bytes")
        }
    }
}

extension Run {
    /// The graph floors of the foundation issue: 10⁶ nodes in under 0.3 s, at most 40 bytes a node.
    private func checkFloors(reps: Int, report: inout Report) throws {
        print("\n## Floors\n")
        var samples: [Double] = []
        var nodes = 0
        for _ in 0..<max(reps, 5) {
            let context = ExprContext()
            samples.append(try cpuSeconds { _ = try ReferenceProblems.deepChain(context, steps: 200_000) })
            nodes = context.graph.count
        }
        let seconds = median(samples) * 1e6 / Double(nodes)
        report.build["floor_chain_1e6_nodes"] = ["diffgen": samples, "nodes": [Double(nodes)]]
        print("| floor | measured | bound | verdict |")
        print("| --- | --- | --- | --- |")
        print("| build 10⁶ nodes (deep chain, 200 000 steps, Function included) | \(formatSeconds(seconds)) | 0.3 s | \(seconds < 0.3 ? "met" : "MISSED") |")
        if let memory = report.memory["deep_chain_1e5"], let bytes = memory["diffgen_bytes"], let count = memory["diffgen_nodes"] {
            let perNode = bytes / count
            print("| bytes per node (peak RSS growth / nodes) | \(format3(perNode)) | 40 | \(perNode <= 40 ? "met" : "MISSED") |")
        }
    }
}

/// Builds one problem in this fresh process and prints "nodes bytes" (peak RSS growth).
struct MemoryProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "memory-probe", abstract: "Internal: peak memory of one build.", shouldDisplay: false)

    @Argument var problem: String

    func run() throws {
        guard let problem = Problem.named(problem) else { throw BenchError("unknown problem \(self.problem)") }
        let before = residentMemory().current
        let context = ExprContext()
        _ = try problem.build(context)
        let after = residentMemory().peak
        print("\(context.graph.count) \(after - before)")
    }
}

/// Prints the SSA text of one derivative product, for comparing formulas with CasADi's.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Internal: SSA text of a derivative product.", shouldDisplay: false)

    @Argument var product: String

    func run() throws {
        let (function, _) = try DerivativeProduct.function(named: "d", product: product)
        print(function.text)
        print("\(function.operationCount) operations")
    }
}

/// Compiles and frees a small module `cycles` times in this fresh process and prints how much the
/// resident set grew (KiB) after a warm-up: the JIT must not leak code pages or tcc state.
struct JITSoak: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jit-soak", abstract: "Internal: RSS growth over compile/free cycles.", shouldDisplay: false)

    @Argument var cycles: Int = 10_000

    func run() throws {
        let source = "double sin(double);\nstatic const double k[3] = {1, 2, 3};\ndouble f(double x) { return sin(x) * k[1]; }"
        func once() throws {
            let module = try JITModule(source: source, symbols: ["f"], libraryFunctions: CGenerator.librarySymbols)
            let f = unsafeBitCast(module.address(of: "f")!, to: (@convention(c) (Double) -> Double).self)
            // A point where the answer is not 0, compared with this process's own libm.
            guard f(0.7) == Foundation.sin(0.7) * 2 else { throw BenchError("compiled code gave a wrong value: \(f(0.7))") }
        }
        for _ in 0..<500 { try once() }
        let before = residentMemory().current
        for _ in 0..<cycles { try once() }
        print((residentMemory().current - before) / 1024)
    }
}

/// Builds one function's optimized tier through the disk cache in `directory` and checks its
/// values against the interpreter: tests run several of these processes at once on one cache.
struct JITCacheProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jit-cache", abstract: "Internal: one optimized build through a disk cache.", shouldDisplay: false)

    @Argument var directory: String

    func run() throws {
        let context = ExprContext()
        let x = context.vector("x", count: 3)
        let f = try Function("cache_probe", inputs: [("x", x)], outputs: [("y", try Matrix(column: [sin(x[0]) * exp(x[1]) + x[2], atan2(x[1], x[2])]))])
        let native = try f.compiled(optimizeWith: SystemCompiler(cache: .directory(directory)))
        let tier = native.waitForOptimization(seconds: 300)
        guard tier == .optimized else { throw BenchError("optimized tier: \(tier)") }
        let point = [0.3, -0.2, 1.7]
        guard try native([point])[0] == (try Interpreter(f).evaluate([point])[0]) else { throw BenchError("wrong values from the cached library") }
        print("ok")
    }
}

/// Writes the deep chain of `steps` steps as a model file and reads it back, timing both: the
/// serialization must take time linear in the graph.
struct ModelRoundTrip: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model-roundtrip", abstract: "Internal: time writing and reading a deep chain as a model file.", shouldDisplay: false)

    @Argument var steps: Int = 250_000

    func run() throws {
        let chain = try ReferenceProblems.deepChain(ExprContext(), steps: steps)
        var text = ""
        let write = try cpuSeconds { text = try ModelPrinter.text(of: [chain]) }
        var model: Model? = nil
        let read = try cpuSeconds { model = try Model(text: text) }
        print("\(chain.nodeCount) nodes, \(text.utf8.count) bytes: write \(write) s, read \(read) s, \(model!.functions[0].nodeCount) nodes read")
    }
}

/// Time from URDF text to a callable p, R, J function (median of `repetitions`), and its
/// operation count.
struct URDFCallable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "urdf-callable", abstract: "Internal: URDF text to a callable kinematics function.", shouldDisplay: false)

    @Argument var urdf: String
    @Argument var base: String
    @Argument var tip: String
    @Option var repetitions = 11

    func run() throws {
        let text = try String(contentsOfFile: urdf, encoding: .utf8)
        var seconds: [Double] = []
        var operations = 0
        for k in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            let chain = try RobotChain(try URDF(text: text), base: base, tip: tip)
            let function = try chain.function(named: "kinematics_\(k)")
            let native = try function.compiled()
            _ = try native([[Double](repeating: 0.1, count: chain.inputJoints.count)])
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            operations = function.operationCount
        }
        seconds.sort()
        print("\(operations) operations (p, R, 6×n J); URDF text to callable: median \(seconds[seconds.count / 2] * 1e3) ms, min \(seconds[0] * 1e3) ms")
    }
}

/// Generates C for one derivative product repeatedly (for profiling the code generator).
struct ColoringLoop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "coloring-loop", abstract: "Internal: repeat one coloring of a reference pattern (for profilers).", shouldDisplay: false)

    @Argument(help: "column, row, star, star-fast, star-best or acyclic") var kind: String
    @Argument(help: "pattern name in the reference folder, or lap3d_k80") var pattern: String
    @Argument var repetitions: Int = 100

    func run() throws {
        let family = PatternFamilies.all().first { $0.name == self.pattern }?.pattern
        let pattern = try family ?? (self.pattern == "lap3d_k80" ? ReferencePatterns.laplacian3D(80)
            : try Pattern(coordinateText: String(contentsOfFile: "\(Run.patternsDirectory)/\(self.pattern).txt", encoding: .utf8)))
        var colors = 0
        let seconds = cpuSeconds {
            for _ in 0..<repetitions {
                switch kind {
                case "row": colors = pattern.rowColoring().count
                case "star": colors = pattern.starColoring().count
                case "star-fast": colors = pattern.starColoring(effort: .fast).count
                case "star-best": colors = pattern.starColoring(effort: .best).count
                case "acyclic": colors = pattern.acyclicColoring().count
                case "acyclic-fast": colors = pattern.acyclicColoring(effort: .fast).count
                case "acyclic-best": colors = pattern.acyclicColoring(effort: .best).count
                default: colors = pattern.columnColoring().count
                }
            }
        }
        print("\(colors) colors, \(formatSeconds(seconds / Double(repetitions))) per coloring")
    }
}

struct CodegenLoop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codegen-loop", abstract: "Internal: repeat C generation.", shouldDisplay: false)

    @Argument var product: String
    @Argument var repetitions: Int = 100

    func run() throws {
        let (function, _) = try DerivativeProduct.function(named: "d", product: product)
        var options = CodegenOptions()
        options.compiler = .tcc
        var bytes = 0
        let seconds = try cpuSeconds {
            for _ in 0..<repetitions { bytes = try CGenerator.generate([function], baseName: "d", options: options).source!.utf8.count }
        }
        let linearize = cpuSeconds { for _ in 0..<repetitions { _ = Linearization(function) } }
        print("\(formatSeconds(seconds / Double(repetitions))) per generate (linearize \(formatSeconds(linearize / Double(repetitions)))), \(bytes) bytes")
    }
}

/// Repeats the code-and-runs section's time-to-callable measurement (for profilers).
struct CallableLoop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "callable-loop", abstract: "Internal: repeat derivative, C, libtcc and first call.", shouldDisplay: false)

    @Argument var product: String
    @Argument var repetitions: Int = 100

    func run() throws {
        guard let item = DerivativeProduct.all(quick: false).first(where: { $0.label == product }) else {
            throw BenchError("unknown product \(product)")
        }
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let context = ExprContext()
            let (inputs, point, derive) = try item.prepare(context)
            samples.append(try cpuSeconds {
                let f = try Function("f", inputs: inputs, outputs: [("d", try derive())])
                _ = try f.compiled()(point)
            })
        }
        print("\(formatSeconds(median(samples))) median to callable, \(formatSeconds(samples.min() ?? .nan)) least")
    }
}

struct Emit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "emit", abstract: "Internal: write a derivative product's C (name f) for experiments.", shouldDisplay: false)

    @Argument var product: String
    @Argument var directory: String
    @Option(help: "Operations per C function before splitting (0: never).") var split = 200
    @Flag var tcc = false

    func run() throws {
        let (function, point) = try DerivativeProduct.function(named: "f", product: product)
        var options = CodegenOptions()
        options.maxStatementsPerFunction = split > 0 ? split : nil
        if tcc { options.compiler = .tcc }
        try CGenerator.generate([function], baseName: "f", options: options).write(to: directory)
        try point.flatMap { $0 }.map { String($0) }.joined(separator: " ").write(toFile: directory + "/input.txt", atomically: true, encoding: .utf8)
    }
}

/// The smallest problem through every stage of the benchmark, with one repetition: `make test`
/// runs this so the harness cannot rot. It asserts agreement, never timing.
struct Smoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "smoke", abstract: "Every benchmark stage on panda_fk, once; fails on any disagreement.")

    func run() throws {
        let twin = try CasADiTwin()
        var report = Report(quick: true, casadiVersion: (try twin.request(["cmd": "version"]))["casadi"] as? String ?? "?")
        let runner = try Run.parse(["--quick", "--repetitions", "1"])
        let panda = Problem.all(quick: true).filter { $0.label == "panda_fk" }
        try runner.checkValues(panda, twin: twin, report: &report)
        try runner.measureBuild(panda, twin: twin, reps: 1, report: &report)
        try runner.measureCodeAndRuns(twin: twin, quick: true, labels: ["panda_fk/jac"], report: &report)
        let worst = report.values["panda_fk"] ?? .infinity
        guard worst <= 1e-9 else { throw BenchError("panda_fk values differ from CasADi by \(worst)") }
        guard let runs = report.code["panda_fk/jac"], (runs["ns_gcc"] ?? []).allSatisfy({ $0.isFinite && $0 > 0 }),
              (runs["ns_tcc"] ?? []).allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw BenchError("the C harness did not report call times")
        }
        print("smoke OK")
    }
}

/// Only the scale section (large problems from model to callable).
struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scale", abstract: "Large problems from model to callable, step by step.")

    @Option(help: "Only these problems (e.g. rosenbrock_ext_100000/hess).")
    var only: [String] = []

    func run() throws {
        let twin = try CasADiTwin()
        var report = Report(quick: false, casadiVersion: (try twin.request(["cmd": "version"]))["casadi"] as? String ?? "?")
        try Run.parse([]).measureScale(twin: twin, report: &report, only: only)
    }
}

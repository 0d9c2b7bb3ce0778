import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let models = root.appendingPathComponent("examples/models").path
private let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients").path

func diffgen(_ arguments: [String]) throws -> CToolchain.Outcome {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diffgen").path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build all products first (make test does)")
    return try CToolchain.run([binary] + arguments)
}

/// Small-parameter versions of the example models, so every test stays quick in debug builds.
private let exampleModels: [(file: String, settings: [String])] = [
    ("panda_fk", []), ("cartpole_step", []), ("cartpole_ms", ["--set", "N=4"]), ("mlp_hessian", []),
    ("rosenbrock_ext", ["--set", "n=30"]), ("nbody_energy", ["--set", "n=5"]), ("deep_chain", ["--set", "K=50"]),
]

/// `--at` arguments with each input of the model at seeded values in [-1, 1].
private func points(_ model: Model, seed: UInt64) -> ([String], [String: [Double]]) {
    var rng = SeededRandom(seed: seed)
    var arguments: [String] = [], values: [String: [Double]] = [:]
    for input in model.inputs {
        let v = (0..<input.value.count).map { _ in rng.uniform(-1...1) }
        values[input.name] = v
        arguments += ["--at", "\(input.name)=" + v.map { "\($0)" }.joined(separator: ",")]
    }
    return (arguments, values)
}

/// The numbers of a JSON text, in order, each read exactly.
private func numbers(_ json: String) -> [Double] {
    var result: [Double] = [], token = ""
    var inString = false
    for c in json {
        if c == "\"" { inString.toggle(); continue }
        if !inString && (c.isNumber || "+-.eE".contains(c)) { token.append(c); continue }
        if !token.isEmpty { result.append(Double(token)!); token = "" }
    }
    return result
}

private func overrides(_ settings: [String]) -> [String: Double] {
    var result: [String: Double] = [:]
    for setting in settings where setting.contains("=") {
        let parts = setting.split(separator: "=")
        result[String(parts[0])] = Double(parts[1])!
    }
    return result
}

/// `diffgen eval --json` prints what the interpreter computes, exactly.
@Test(arguments: exampleModels.indices)
func evalAgreesWithTheInterpreter(_ k: Int) throws {
    let (file, settings) = exampleModels[k]
    let model = try Model(contentsOf: "\(models)/\(file).dg", overrides: overrides(settings))
    let (at, values) = points(model, seed: UInt64(k))
    let run = try diffgen(["eval", "\(models)/\(file).dg", "--json"] + settings + at)
    try #require(run.status == 0, "\(run.errors)")
    // The structure through a JSON parser; the numbers read with Double(_:), which rounds
    // correctly (Foundation's JSON parser may not), in the order they are printed.
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: [[Double]]]])
    #expect(json.count == model.functions.count)
    var printed = numbers(run.output)
    for function in model.functions {
        let results = try Interpreter(function).evaluate(function.inputs.map { values[$0.name]! })
        for (port, nonzeros) in zip(function.outputs, results) {
            #expect(json[function.name]?[port.name]?.count == port.rows, "\(function.name).\(port.name) missing")
            let dense = port.dense(nonzeros)
            let expected = (0..<port.rows).flatMap { i in (0..<port.cols).map { j in dense[j * port.rows + i] } }
            let got = Array(printed.prefix(expected.count))
            printed.removeFirst(min(expected.count, printed.count))
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(file): \(function.name).\(port.name)")
        }
    }
}

/// `diffgen generate` writes C that gcc (strict) and tcc compile without a warning, whose
/// Makefile builds a shared library that CasADi loads, giving eval's values.
@Test(arguments: exampleModels.indices)
func generatedCodeCompilesAndLoadsInCasADi(_ k: Int) throws {
    let (file, settings) = exampleModels[k]
    let directory = try CToolchain.temporaryDirectory("cli-generate")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let run = try diffgen(["generate", "\(models)/\(file).dg", "-o", directory] + settings)
    try #require(run.status == 0, "\(run.errors)")
    let gcc = try CToolchain.run(["gcc", "-c", "-O1"] + CToolchain.strictFlags + ["-o", "\(directory)/gcc.o", "\(directory)/\(file).c"])
    #expect(gcc.succeeded && gcc.errors.isEmpty, "gcc: \(gcc.errors)")
    let tcc = try CToolchain.run(["tcc", "-Wall", "-Werror", "-c", "-o", "\(directory)/tcc.o", "\(directory)/\(file).c"])
    #expect(tcc.succeeded && tcc.errors.isEmpty, "tcc: \(tcc.errors)")
    let make = try CToolchain.run(["make", "-C", directory, "shared"])
    try #require(make.succeeded, "make: \(make.errors)")
    let model = try Model(contentsOf: "\(models)/\(file).dg", overrides: overrides(settings))
    let (at, values) = points(model, seed: 40 + UInt64(k))
    let eval = try diffgen(["eval", "\(models)/\(file).dg", "--json"] + settings + at)
    let expected = try #require(try JSONSerialization.jsonObject(with: Data(eval.output.utf8)) as? [String: [String: [[Double]]]])
    let function = model.functions[0]
    let arguments = function.inputs.map { "[" + values[$0.name]!.map { "\($0)" }.joined(separator: ",") + "]" }
    let casadi = try CToolchain.run(["python3", "\(clients)/casadi_eval.py", "\(directory)/lib\(file).so", function.name] + arguments)
    try #require(casadi.succeeded, "casadi.external: \(casadi.errors)")
    let loaded = try #require(try JSONSerialization.jsonObject(with: Data(casadi.output.utf8)) as? [String: [[Double]]])
    // Both read by Foundation's JSON parser: compared to a few units in the last place.
    for port in function.outputs {
        let (a, b) = ((loaded[port.name] ?? []).flatMap { $0 }, (expected[function.name]?[port.name] ?? []).flatMap { $0 })
        #expect(a.count == b.count && a.count == port.rows * port.cols, "\(file): \(port.name) through CasADi")
        let worst = zip(a, b).map { abs($0 - $1) / max(1e-300, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-14, "\(file): \(port.name) through CasADi differs by \(worst)")
    }
}

/// `diffgen check` passes on every example model.
@Test(arguments: exampleModels.indices)
func checkPassesOnEveryExample(_ k: Int) throws {
    let (file, settings) = exampleModels[k]
    let run = try diffgen(["check", "\(models)/\(file).dg", "--points", "2"] + settings)
    #expect(run.status == 0, "\(run.output)\(run.errors)")
    #expect(!run.output.contains("FAILED"))
}

/// A derivative the differences cannot confirm makes `check` fail with exit status 1: the
/// derivative of sin(10⁸·x) changes faster than any difference step can follow.
@Test func checkFailsWhereTheReferenceDisagrees() throws {
    let directory = try CToolchain.temporaryDirectory("cli-check")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try "input x\noutput f = sin(1e8 * x)\noutput d = jacobian(f, x)\n".write(toFile: "\(directory)/wild.dg", atomically: true, encoding: .utf8)
    let run = try diffgen(["check", "\(directory)/wild.dg"])
    #expect(run.status == 1, "\(run.output)\(run.errors)")
    #expect(run.output.contains("central differences") && run.output.contains("FAILED"))
    #expect(run.errors == "a derivative differs from its numerical reference beyond the tolerance\n")
}

/// Every command-line error: exit status 2, the message on stderr (compared in full), nothing on
/// stdout, and no file written.
@Test func commandLineErrorsAreExactAndWriteNothing() throws {
    let directory = try CToolchain.temporaryDirectory("cli-errors")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try "param n = 2\ninput x[n]\noutput y = sin(x) * 2\n".write(toFile: "\(directory)/ok.dg", atomically: true, encoding: .utf8)
    try "input x[2]\noutput y = sinn(x)\n".write(toFile: "\(directory)/bad.dg", atomically: true, encoding: .utf8)
    let ok = "\(directory)/ok.dg", bad = "\(directory)/bad.dg", out = "\(directory)/out"
    let cases: [([String], String)] = [
        (["eval", ok], "function 'ok' needs input 'x' (2 values): add --at x=…\n"),
        (["eval", ok, "--at", "x=1"], "input 'x' needs 2 values (2×1), got 1\n"),
        (["eval", ok, "--at", "x=1,2", "--at", "z=3"], "the model has no input 'z' (its inputs: x)\n"),
        (["eval", ok, "--at", "x=1,two"], "--at x: 'two' is not a number\n"),
        (["eval", ok, "--at", "x"], "--at needs NAME=v1,v2,..., got 'x'\n"),
        (["eval", ok, "--at", "x=1,2", "--at", "x=3,4"], "--at x is given twice\n"),
        (["eval", ok, "--set", "m=3", "--at", "x=1,2"], "the model has no parameter 'm' (it has: n)\n"),
        (["eval", ok, "--set", "n=three"], "--set n: 'three' is not a number\n"),
        (["generate", bad, "-o", out], "\(bad):2:12: error: unknown function 'sinn'\n 2 | output y = sinn(x)\n   |            ^~~~\n"),
        (["eval", "\(directory)/missing.dg"], "\(directory)/missing.dg: cannot read the file\n"),
        (["check", ok, "--points", "0"], "--points must be at least 1\n"),
    ]
    for (arguments, message) in cases {
        let run = try diffgen(arguments)
        #expect(run.status == 2, "\(arguments): status \(run.status)")
        #expect(run.errors == message, "\(arguments)")
        #expect(run.output.isEmpty, "\(arguments): \(run.output)")
    }
    #expect(!FileManager.default.fileExists(atPath: out), "a failed generate wrote files")
    // Usage errors of the argument parser: status 2 too, with its usage text.
    let unknown = try diffgen(["frobnicate"])
    #expect(unknown.status == 2 && unknown.errors.hasPrefix("Error: Unexpected argument 'frobnicate'"))
    let missing = try diffgen(["generate", ok])
    #expect(missing.status == 2 && missing.errors.hasPrefix("Error: Missing expected argument '--output <output>'"), "\(missing.errors)")
    // Help on every subcommand, on stdout, status 0.
    for command in ["generate", "eval", "check", "info", "bench"] {
        let help = try diffgen([command, "--help"])
        #expect(help.status == 0 && help.output.contains("USAGE: diffgen \(command)"), "\(command) --help")
    }
}

/// `info` and `bench` run on a model and report what they promise.
@Test func infoAndBenchReport() throws {
    let info = try diffgen(["info", "\(models)/cartpole_ms.dg", "--set", "N=4"])
    #expect(info.status == 0, "\(info.errors)")
    #expect(info.output.contains("jac_g: 76 of 384 entries nonzero"), "\(info.output)")
    #expect(info.output.contains("star colors") && info.output.contains("after sharing common subexpressions"))
    let bench = try diffgen(["bench", "\(models)/cartpole_step.dg", "--repetitions", "1"])
    #expect(bench.status == 0, "\(bench.errors)")
    #expect(bench.output.contains("cartpole_step: time to callable") && bench.output.contains("per call on the tcc tier"), "\(bench.output)")
}

/// The README's model example works as shown: it evaluates and its derivatives check.
@Test func theReadmeModelExampleRuns() throws {
    let readme = try String(contentsOfFile: root.appendingPathComponent("README.md").path, encoding: .utf8)
    let start = try #require(readme.range(of: "`cartpole.dg`, a cart-pole"))
    let block = readme[start.upperBound...].components(separatedBy: "```\n")[1]
    let directory = try CToolchain.temporaryDirectory("cli-readme")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try block.write(toFile: "\(directory)/cartpole.dg", atomically: true, encoding: .utf8)
    let eval = try diffgen(["eval", "\(directory)/cartpole.dg", "--at", "x=0,0.1,0,0", "--at", "u=1", "--json"])
    #expect(eval.status == 0 && eval.output.contains("\"linearization\""), "\(eval.errors)")
    let check = try diffgen(["check", "\(directory)/cartpole.dg"])
    #expect(check.status == 0, "\(check.output)\(check.errors)")
}

/// `diffgen report` writes one self-contained page; headless Chromium renders it: a screenshot
/// is taken, and in the rendered page every spy plot has laid out exactly one mark per nonzero.
@Test func reportRendersInChromium() throws {
    try #require(CToolchain.available("chromium"), "chromium is missing; make test installs it")
    let directory = try CToolchain.temporaryDirectory("cli-report")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let page = "\(directory)/report.html"
    let run = try diffgen(["report", "\(models)/cartpole_ms.dg", "--set", "N=4", "-o", page])
    try #require(run.status == 0, "\(run.errors)")
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(!html.contains("http://") || !html.contains("src=\"http"), "the page must not load anything")
    let chromium = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory)/profile"]
    let screenshot = try CToolchain.run(chromium + ["--screenshot=\(directory)/report.png", "--window-size=1200,1600", "file://\(page)"])
    #expect(screenshot.succeeded, "\(screenshot.errors)")
    let png = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/report.png"))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "screenshot of \(png.count) bytes")
    let dom = try CToolchain.run(chromium + ["--dump-dom", "file://\(page)"])
    try #require(dom.succeeded, "\(dom.errors)")
    // One figure per sparse output: jac_g (76 nonzeros) and hess_L (48).
    let pattern = try Regex(#"data-marks="(\d+)"[^>]*data-rendered="(\d+)""#)
    let figures = dom.output.matches(of: pattern).map { (Int($0.output[1].substring!)!, Int($0.output[2].substring!)!) }
    #expect(figures.map(\.0) == [76, 48], "\(figures)")
    for (marks, rendered) in figures { #expect(rendered == marks, "\(rendered) of \(marks) marks rendered") }
    // Loops get sections too: the calls model's constraint Jacobian and Lagrangian Hessian, with
    // the nonzeros of the flat problem's.
    let loopPage = "\(directory)/loops.html"
    let loops = try diffgen(["report", "\(models)/cartpole_ms_calls.dg", "--set", "N=4", "-o", loopPage])
    try #require(loops.status == 0, "\(loops.errors)")
    let loopDOM = try CToolchain.run(chromium + ["--dump-dom", "file://\(loopPage)"])
    try #require(loopDOM.succeeded, "\(loopDOM.errors)")
    let context = ExprContext()
    let ms = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: 4)
    let lagrangian = (0..<ms.constraints.count).reduce(ms.objective) { $0 + ms.lambda[$1] * ms.constraints[$1] }
    let expected = [try sparseJacobian(of: ms.constraints, wrt: ms.w).pattern.nonzeroCount, try sparseHessian(of: lagrangian, wrt: ms.w).pattern.nonzeroCount]
    let loopFigures = loopDOM.output.matches(of: pattern).map { (Int($0.output[1].substring!)!, Int($0.output[2].substring!)!) }
    #expect(loopFigures.map(\.0) == expected, "\(loopFigures)")
    for (marks, rendered) in loopFigures { #expect(rendered == marks, "\(rendered) of \(marks) marks rendered") }
    #expect(loopDOM.output.contains("4 calls of rk4 in 1 level"))
}

/// `diffgen urdf` writes a model with input q and outputs p, R and J that `eval` evaluates to
/// the chain's own values; a bad URDF is a located error with exit status 2.
@Test func urdfToModelToEval() throws {
    let directory = try CToolchain.temporaryDirectory("cli-urdf")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let urdf = root.appendingPathComponent("examples/robots/panda.urdf").path
    let run = try diffgen(["urdf", urdf, "--base", "panda_link0", "--tip", "panda_link8", "-o", "\(directory)/panda.dg"])
    try #require(run.status == 0, "\(run.errors)")
    let q = [0.1, -0.4, 0.3, -2.0, 0.5, 1.6, -0.7]
    let eval = try diffgen(["eval", "\(directory)/panda.dg", "--json", "--at", "q=" + q.map { "\($0)" }.joined(separator: ",")])
    try #require(eval.status == 0, "\(eval.errors)")
    let chain = try RobotChain(try URDF(text: try String(contentsOfFile: urdf, encoding: .utf8)), base: "panda_link0", tip: "panda_link8")
    let f = try chain.function(named: "panda")
    let want = try Interpreter(f).evaluate([q])
    // p, then R and J as rows: compare in that order, read exactly.
    let printed = numbers(eval.output)
    let r = want[1], j = want[2]
    let expected = want[0] + (0..<3).flatMap { i in (0..<3).map { r[i + 3 * $0] } } + (0..<6).flatMap { i in (0..<7).map { j[i + 6 * $0] } }
    #expect(printed.map(\.bitPattern) == expected.map(\.bitPattern))
    let bad = try diffgen(["urdf", urdf, "--base", "panda_link0", "--tip", "nowhere"])
    #expect(bad.status == 2 && bad.errors == "\(urdf):1: error: the tip link 'nowhere' is not defined\n", "\(bad.errors)")
}

/// `diffgen generate` on models with loops writes one file pair per loop and build files that
/// build them all with gcc, warning-free; plain or header-only output of loops is refused.
@Test func generateWritesLoopsThatBuild() throws {
    let directory = try CToolchain.temporaryDirectory("loops")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for (file, setting, loops) in [("rosenbrock_map", "n=1000", ["rosenbrock", "rosenbrock_grad", "rosenbrock_hess"]),
                                   ("deep_chain_fold", "K=100", ["deep_chain", "deep_chain_grad"]),
                                   ("cartpole_ms_map", "N=20", ["gaps", "gaps_jac", "weighted_gaps", "gaps_hess"]),
                                   ("cartpole_ms_calls", "N=20", ["gaps", "gaps_jac", "lagrangian", "lagrangian_hess"])] {
        let output = "\(directory)/\(file)"
        let run = try diffgen(["generate", "\(models)/\(file).dg", "--set", setting, "-o", output])
        #expect(run.succeeded, "\(file): \(run.errors)")
        for loop in loops {
            #expect(FileManager.default.fileExists(atPath: "\(output)/\(loop).c") && FileManager.default.fileExists(atPath: "\(output)/\(loop).h"), "\(file): \(loop)")
        }
        let build = try CToolchain.run(["make", "-C", output, "CFLAGS=-O1 -Wall -Wextra -Werror"])
        #expect(build.succeeded, "\(file): \(build.errors)")
        let refused = try diffgen(["generate", "\(models)/\(file).dg", "--abi", "plain", "-o", "\(directory)/plain"])
        #expect(refused.status == 2 && refused.errors.contains("loops are generated"), "\(refused.errors)")
    }
}

/// `diffgen eval` and `info` take loops: the fold's value and gradient equal the unrolled
/// model's (deep_chain.dg) at the same point, and info describes each loop.
@Test func evalAndInfoTakeLoops() throws {
    let at = ["--at", "z=0.52,0.61", "--json", "--set", "K=50"]
    let fold = try diffgen(["eval", "\(models)/deep_chain_fold.dg"] + at)
    let flat = try diffgen(["eval", "\(models)/deep_chain.dg"] + at)
    #expect(fold.succeeded && flat.succeeded, "\(fold.errors) \(flat.errors)")
    let (a, b) = (numbers(fold.output), numbers(flat.output))
    #expect(a.count == 3 && b.count == 3, "\(fold.output) \(flat.output)")
    for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-12 * max(1, abs(y)), "fold \(x), unrolled \(y)") }
    let info = try diffgen(["info", "\(models)/rosenbrock_map.dg", "--set", "n=100"])
    #expect(info.succeeded && info.output.contains("loop rosenbrock_hess: x[100] -> hess[100×100, 298 nonzeros]"), "\(info.output)\(info.errors)")
    let missing = try diffgen(["eval", "\(models)/deep_chain_fold.dg"])
    #expect(missing.status == 2 && missing.errors.contains("needs input 'z'"), "\(missing.errors)")
}

/// `diffgen check` compares each loop derivative with differences of its loop's own value.
@Test func checkComparesLoopDerivatives() throws {
    for (file, setting, lines) in [("rosenbrock_map", "n=30", 2), ("cartpole_ms_map", "N=4", 2), ("deep_chain_fold", "K=40", 1),
                                   ("cartpole_ms_calls", "N=4", 2)] {
        let run = try diffgen(["check", "\(models)/\(file).dg", "--set", setting])
        #expect(run.succeeded, "\(file): \(run.errors)")
        let checked = run.output.split(separator: "\n").filter { $0.hasPrefix("loop ") && $0.hasSuffix(" ok") }
        #expect(checked.count == lines, "\(file): \(run.output)")
    }
}

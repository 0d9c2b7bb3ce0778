import DiffGen
import Foundation
import ReferenceProblems

/// Large problems from model to a native callable, step by step, with the peak resident memory
/// after each step (this process's high-water mark, so it only grows).
extension Run {
    func measureScale(twin: CasADiTwin, report: inout Report, only: [String] = []) throws {
        print("\n## Scale (one run each; thread CPU time; peak RSS is the process high-water mark after the step)\n")
        print("| problem | build | derivative | generate C | libtcc compile | first call | per call (JIT, array API) | total to callable | CasADi: build / derivative / Function+generate / libtcc | peak RSS |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        let directory = NSTemporaryDirectory() + "diffgen-scale-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let libtccHarness = "\(directory)/harness_libtcc"
        _ = try runCapturing(["/usr/bin/env", "gcc", "-O2", "-o", libtccHarness, "\(Run.harnessDirectory)/harness_libtcc.c", "-ltcc", "-ldl", "-lm", "-lpthread"])
        let cases: [(label: String, twin: String, size: Int, product: String, casadi: Bool, build: (ExprContext) throws -> Function)] = [
            ("rosenbrock_ext_100000/hess", "rosenbrock", 100_000, "hess", true, { try ReferenceProblems.rosenbrock($0, n: 100_000) }),
            ("deep_chain_1e5/grad", "deep_chain", 100_000, "grad", true, { try ReferenceProblems.deepChain($0, steps: 100_000) }),
            ("deep_chain_1e6/grad", "deep_chain", 1_000_000, "grad", false, { try ReferenceProblems.deepChain($0, steps: 1_000_000) }),
        ]
        for item in cases where only.isEmpty || only.contains(item.label) {
            let context = ExprContext()
            var base: Function? = nil
            let build = try cpuSeconds { base = try item.build(context) }
            var derivative: SparseMatrix? = nil
            let derive = try cpuSeconds {
                let x = try base!.input(0), f = try base!.output(0)[0]
                derivative = item.product == "hess" ? try sparseHessian(of: f, wrt: x)
                    : SparseMatrix(pattern: .dense(rows: x.count, cols: 1), nonzeros: try gradient(of: f, wrt: x).ids, in: context)
            }
            let function = try Function("scale", inputs: [("x", base!.input(0))], outputs: [("d", derivative!)])
            var options = CodegenOptions()
            options.compiler = .tcc
            var code: GeneratedCode? = nil
            let generate = try cpuSeconds { code = try CGenerator.generate([function], baseName: "scale", options: options) }
            var module: JITModule? = nil
            let compile = try cpuSeconds { module = try JITModule(source: code!.source!, symbols: NativeFunction.symbols(of: "scale"), libraryFunctions: CGenerator.librarySymbols) }
            let native = try NativeFunction(name: "scale", module: module!)
            let point = item.twin == "deep_chain" ? [1.5, 0.5] : ReferenceProblems.defaultPoint(function.inputs[0].count)
            var firstCall = 0.0
            var values: [[Double]] = []
            firstCall = try cpuSeconds { values = try native([point]) }
            let calls = 5
            let steady = try cpuSeconds { for _ in 0..<calls { _ = try native([point]) } } / Double(calls)
            let peak = Double(residentMemory().peak) / 1_048_576
            let total = build + derive + generate + compile + firstCall
            var casadi = "–"
            if item.casadi {
                let answer = try twin.request(["cmd": "scale", "problem": item.twin, "size": item.size, "product": item.product,
                                               "name": "scale_casadi", "directory": directory])
                let theirCompile = Double(try runCapturing([libtccHarness, answer["path"] as? String ?? "", "scale_casadi"])
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
                let parts = [answer["build"], answer["derivative"]].map { formatSeconds($0 as? Double ?? .nan) }
                let functionAndGenerate = (answer["function"] as? Double ?? .nan) + (answer["generate"] as? Double ?? .nan)
                casadi = "\(parts[0]) / \(parts[1]) / \(formatSeconds(functionAndGenerate)) / \(formatSeconds(theirCompile))"
            }
            report.scale[item.label] = ["build": build, "derivative": derive, "generate": generate, "compile": compile,
                                        "first_call": firstCall, "call": steady, "peak_mib": peak, "checksum": values.flatMap { $0 }.reduce(0, +)]
            print("| \(item.label) | \(formatSeconds(build)) | \(formatSeconds(derive)) | \(formatSeconds(generate)) | \(formatSeconds(compile)) | \(formatSeconds(firstCall)) | \(formatSeconds(steady)) | \(formatSeconds(total)) | \(casadi) | \(format3(peak)) MiB |")
        }
    }
}

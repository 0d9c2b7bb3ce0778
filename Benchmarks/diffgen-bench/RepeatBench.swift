import ArgumentParser
import DiffGen
import Foundation
import ReferenceProblems

/// Repeated structure kept as loops (maps, folds) or calls against CasADi's flat SX and its map/mapaccum
/// in MX (`Benchmarks/harness/casadi_repeat.cpp`), and against DiffGen's own unrolled code.
struct RepeatBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repeat", abstract: "Maps, folds and calls against CasADi and the unrolled path.")

    @Option(help: "Rosenbrock terms + 1 (n).") var rosenbrock = 100_000
    @Option(help: "Only these parts: rosenbrock, cartpole, chain, calls, rollout.") var only: [String] = []
    @Option(help: "Cart-pole horizons.") var horizons = [20, 200]
    @Option(help: "Deep chain steps.") var chain = 100_000
    @Option(help: "Rounds (medians are reported).") var rounds = 7

    func run() throws {
        let harness = try Self.buildHarness()
        let work = NSTemporaryDirectory() + "diffgen-bench-repeat-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let parts = only.isEmpty ? ["rosenbrock", "cartpole", "chain", "calls", "rollout"] : only
        if parts.contains("rosenbrock") { try rosenbrockFigures(harness: harness, work: work) }
        if parts.contains("cartpole") { try cartpoleFigures() }
        if parts.contains("chain") { try chainFigures(harness: harness, work: work) }
        if parts.contains("calls") { try callFigures(harness: harness, work: work) }
        if parts.contains("rollout") { try rolloutFigures(harness: harness, work: work) }
    }

    private func chainFigures(harness: String, work: String) throws {
        let point = ReferenceProblems.defaultPoint(2)
        var fold: NativeFunction? = nil
        let toCallable = try cpuSeconds {
            fold = try FoldJacobian(of: try ReferenceProblems.deepChainFold(steps: chain), wrt: 0, name: "chain_fold_grad").compiled()
        }
        let optimizedFold = try FoldJacobian(of: try ReferenceProblems.deepChainFold(steps: chain), wrt: 0, name: "chain_fold_grad")
            .compiled(optimizeWith: SystemCompiler())
        // The unrolled gradient, as DiffGen builds it without folds.
        var unrolled: NativeFunction? = nil
        let unrolledCallable = try cpuSeconds {
            let context = ExprContext()
            let flat = try ReferenceProblems.deepChain(context, steps: chain)
            let z = try flat.input(0)
            unrolled = try Function("chain_flat_grad", inputs: [("z", z)], outputs: [("grad", try gradient(of: try flat.output(0)[0], wrt: z))])
                .compiled(optimizeWith: SystemCompiler())
        }
        let times = try Self.timeFold(fold!, optimized: optimizedFold, unrolled: unrolled!, at: [point], casadi: "chain", size: chain,
                                      harness: harness, work: work, rounds: rounds, tolerance: 1e-12)
        print("Deep chain gradient, \(chain) steps, as a fold of one step (every state kept: \(8 * (chain + 1)) bytes):")
        print("  model to callable: fold \(formatSeconds(toCallable)), unrolled \(formatSeconds(unrolledCallable)) (with its optimized build)")
        times.report(figure: "deep chain \(chain) fold gradient")
        let anchors = times.anchors
        Summary.record("deep chain \(chain) fold gradient model to callable", diffgen: toCallable, anchor: anchors["sx_vm"]!.build, anchorName: "CasADi SX gradient Function build", unit: "s")
    }

    /// A fold's product against its unrolled twin, per call (medians of interleaved rounds).
    struct FoldTimes {
        let fold: Double, foldTCC: Double, unrolled: Double
        let anchors: [String: (build: Double, call: Double, checksum: Double)]

        /// Prints the per-call lines and CasADi's anchors, and records both ratios as `figure …`.
        func report(figure: String) {
            print("  per call: fold \(formatSeconds(fold)) optimized tier (\(formatSeconds(foldTCC)) tcc), unrolled \(formatSeconds(unrolled)) (\(format3(fold / unrolled))×)")
            let fastest = RepeatBench.printAnchors(anchors, repeated: "mapaccum")
            print("  ratio per call to CasADi's fastest (\(fastest.name)): \(format3(fold / fastest.call))")
            Summary.record("\(figure) per call", diffgen: fold, anchor: unrolled, anchorName: "DiffGen unrolled", unit: "s")
            Summary.record("\(figure) per call vs CasADi", diffgen: fold, anchor: fastest.call, anchorName: "CasADi fastest (\(fastest.name))", unit: "s")
        }
    }

    /// Waits for both optimized tiers, checks the fold against the unrolled code (to 1e-12), then
    /// times the fold (both tiers) and the unrolled code in interleaved rounds, CasADi's anchors
    /// (`casadi_repeat PROBLEM SIZE`) measured mid-way and their checksums checked against ours.
    static func timeFold(_ tcc: NativeFunction, optimized: NativeFunction, unrolled: NativeFunction, at inputs: [[Double]], casadi problem: String,
                         size: Int, harness: String, work: String, rounds: Int, tolerance: Double) throws -> FoldTimes {
        for native in [optimized, unrolled] where native.waitForOptimization(seconds: 600) != .optimized {
            throw BenchError("optimized tier: \(native.tier)")
        }
        let (mine, theirs) = (try optimized(inputs)[0], try unrolled(inputs)[0])
        guard mine.count == theirs.count, zip(mine, theirs).allSatisfy({ abs($0 - $1) <= 1e-12 * max(1, abs($1)) }) else {
            throw BenchError("\(problem) \(size): fold \(mine), unrolled \(theirs)")
        }
        var foldTimes: [Double] = [], unrolledTimes: [Double] = [], foldTCC: [Double] = []
        var anchors: [String: (build: Double, call: Double, checksum: Double)] = [:]
        for round in 0..<rounds {
            foldTimes += perCall(optimized, inputs, rounds: 1)
            unrolledTimes += perCall(unrolled, inputs, rounds: 1)
            foldTCC += perCall(tcc, inputs, rounds: 1)
            if round == rounds / 2 { anchors = try casadiAnchors(harness, problem, size, rounds: rounds, work: work) }
        }
        let checksum = mine.reduce(0, +)
        for (key, anchor) in anchors where abs(anchor.checksum - checksum) > tolerance * max(1, abs(checksum)) {
            throw BenchError("CasADi's \(key) \(problem) product sums to \(anchor.checksum), ours to \(checksum)")
        }
        return FoldTimes(fold: median(foldTimes), foldTCC: median(foldTCC), unrolled: median(unrolledTimes), anchors: anchors)
    }

    /// Seconds per call of `native` at `inputs`, one sample per round of about 20 ms.
    static func perCall(_ native: NativeFunction, _ inputs: [[Double]], rounds: Int) -> [Double] {
        let workspace = Workspace(native)
        for (k, input) in inputs.enumerated() { _ = workspace.input(k).update(fromContentsOf: input) }
        var samples: [Double] = []
        var calls = 1
        for round in 0..<(rounds + 1) {
            let seconds = cpuSeconds { for _ in 0..<calls { workspace.run() } }
            if round == 0 { calls = max(1, Int(0.02 / max(seconds, 1e-9))) } else { samples.append(seconds / Double(calls)) }
        }
        return samples
    }

    /// CasADi's figures from the C++ harness: per variant (sx_vm, mx_vm, mx_c) its build and
    /// per-call seconds and its outputs' sum.
    static func casadiAnchors(_ harness: String, _ problem: String, _ size: Int, rounds: Int, work: String) throws -> [String: (build: Double, call: Double, checksum: Double)] {
        let answer = try runCapturing([harness, problem, "\(size)", "\(rounds)", work])
        guard let json = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: [String: Double]] else {
            throw BenchError("casadi_repeat: unreadable answer \(answer)")
        }
        return json.mapValues { (build: $0["build"] ?? .nan, call: $0["call"] ?? .nan, checksum: $0["checksum"] ?? .nan) }
    }

    /// Prints each CasADi variant's build and per-call time; returns the fastest per call.
    static func printAnchors(_ anchors: [String: (build: Double, call: Double, checksum: Double)], repeated: String) -> (name: String, call: Double) {
        let labels = ["sx_vm": "CasADi SX, flat, virtual machine", "mx_vm": "CasADi MX \(repeated), virtual machine",
                      "mx_c": "CasADi MX \(repeated), generated C (gcc -O2)"]
        for key in ["sx_vm", "mx_vm", "mx_c"] {
            guard let anchor = anchors[key] else { continue }
            print("  \(labels[key]!): build \(formatSeconds(anchor.build)); per call \(formatSeconds(anchor.call))")
        }
        let fastest = anchors.min { $0.value.call < $1.value.call }!
        return (fastest.key, fastest.value.call)
    }

    private func rosenbrockFigures(harness: String, work: String) throws {
        let n = rosenbrock
        let point = ReferenceProblems.defaultPoint(n)
        // Model to callable: the map, its Hessian, C, tcc.
        var callable: NativeFunction? = nil
        let toCallable = try cpuSeconds {
            let map = try ReferenceProblems.rosenbrockMap(n: n)
            callable = try MapProduct.hessian(of: map, output: 0, wrt: 0, name: "rosenbrock_map_hess").compiled()
        }
        let tcc = callable!
        let optimized = try MapProduct.hessian(of: try ReferenceProblems.rosenbrockMap(n: n), output: 0, wrt: 0, name: "rosenbrock_map_hess")
            .compiled(optimizeWith: SystemCompiler())
        guard optimized.waitForOptimization(seconds: 300) == .optimized else { throw BenchError("optimized tier: \(optimized.tier)") }
        let checksum = try tcc([point])[0].reduce(0, +)
        // DiffGen's rounds in two halves around CasADi's.
        var ours: [Double] = [], oursTCC: [Double] = []
        var anchors: [String: (build: Double, call: Double, checksum: Double)] = [:]
        for half in 0..<2 {
            ours += Self.perCall(optimized, [point], rounds: (rounds + 1) / 2)
            oursTCC += Self.perCall(tcc, [point], rounds: (rounds + 1) / 2)
            if half == 0 { anchors = try Self.casadiAnchors(harness, "rosenbrock", n, rounds: rounds, work: work) }
        }
        for (key, anchor) in anchors where abs(anchor.checksum - checksum) > 1e-12 * abs(checksum) {
            throw BenchError("CasADi's \(key) Hessian sums to \(anchor.checksum), ours to \(checksum)")
        }
        let (call, callTCC) = (median(ours), median(oursTCC))
        print("Chained Rosenbrock Hessian, n = \(n), as a map over one term (checksum \(checksum), CasADi's equal to 1e-12):")
        print("  DiffGen map: model to callable \(formatSeconds(toCallable)); per call \(formatSeconds(call)) optimized tier, \(formatSeconds(callTCC)) tcc")
        let fastest = Self.printAnchors(anchors, repeated: "map")
        print("  ratio per call to CasADi's fastest (\(fastest.name)): \(format3(call / fastest.call))")
        Summary.record("rosenbrock n=\(n) map Hessian per call", diffgen: call, anchor: fastest.call, anchorName: "CasADi fastest (\(fastest.name))", unit: "s")
        Summary.record("rosenbrock n=\(n) map Hessian model to callable", diffgen: toCallable, anchor: anchors["sx_vm"]!.build, anchorName: "CasADi SX Hessian Function build", unit: "s")
    }

    private func cartpoleFigures() throws {
        for n in horizons {
            let (gaps, lagrangian) = try ReferenceProblems.cartpoleShootingMaps(intervals: n)
            var rng = SplitMix(seed: UInt64(n))
            let w = (0..<(5 * n + 4)).map { _ in rng.uniform(-1, 1) }, lambda = (0..<(4 * n)).map { _ in rng.uniform(-1, 1) }
            // Map path: products, C, both tiers.
            let mapCallable = try cpuSeconds {
                _ = try MapProduct.jacobian(of: gaps, output: 0, wrt: 0, name: "ms_map_jac_\(n)").compiled()
                _ = try MapProduct.hessian(of: lagrangian, output: 0, wrt: 0, name: "ms_map_hess_\(n)").compiled()
            }
            let mapSource = try [MapProduct.jacobian(of: gaps, output: 0, wrt: 0, name: "j"), MapProduct.hessian(of: lagrangian, output: 0, wrt: 0, name: "h")]
                .map { try $0.generate(baseName: "m").source!.split(separator: "\n").filter { !$0.contains("_s_out0[") }.joined(separator: "\n").utf8.count }
            // Unrolled path: the flat graph's sparse Jacobian and Hessian.
            var flatFunctions: [Function] = []
            let flatCallable = try cpuSeconds {
                let context = ExprContext()
                let ms = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: n)
                let weighted = (1..<ms.constraints.count).reduce(ms.lambda[0] * ms.constraints[0]) { $0 + ms.lambda[$1] * ms.constraints[$1] }
                let jac = try Function("ms_flat_jac_\(n)", inputs: [("w", ms.w)], outputs: [("jac", try sparseJacobian(of: ms.constraints, wrt: ms.w))])
                let hess = try Function("ms_flat_hess_\(n)", inputs: [("w", ms.w), ("lambda", ms.lambda)], outputs: [("hess", try sparseHessian(of: weighted, wrt: ms.w))])
                _ = try JIT.compile([jac, hess])
                flatFunctions = [jac, hess]
            }
            let flatSource = try flatFunctions.map {
                try CGenerator.generate([$0], baseName: "f").source!.split(separator: "\n").filter { !$0.contains("_s_out0[") }.joined(separator: "\n").utf8.count
            }.reduce(0, +)
            let optimizedMap = try [MapProduct.jacobian(of: gaps, output: 0, wrt: 0, name: "ms_map_jac_\(n)").compiled(optimizeWith: SystemCompiler()),
                                    MapProduct.hessian(of: lagrangian, output: 0, wrt: 0, name: "ms_map_hess_\(n)").compiled(optimizeWith: SystemCompiler())]
            let context = ExprContext()
            let ms = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: n)
            let weighted = (1..<ms.constraints.count).reduce(ms.lambda[0] * ms.constraints[0]) { $0 + ms.lambda[$1] * ms.constraints[$1] }
            let optimizedFlat = try JIT.compile([
                try Function("ms_flat_jac_\(n)", inputs: [("w", ms.w)], outputs: [("jac", try sparseJacobian(of: ms.constraints, wrt: ms.w))]),
                try Function("ms_flat_hess_\(n)", inputs: [("w", ms.w), ("lambda", ms.lambda)], outputs: [("hess", try sparseHessian(of: weighted, wrt: ms.w))]),
            ], optimizeWith: SystemCompiler())
            for native in optimizedMap + optimizedFlat where native.waitForOptimization(seconds: 300) != .optimized {
                throw BenchError("optimized tier: \(native.tier)")
            }
            // Same values before any timing.
            for k in 0..<2 {
                let inputs = k == 0 ? [w] : [w, lambda]
                let (a, b) = (try optimizedMap[k](inputs)[0], try optimizedFlat[k](inputs)[0])
                guard a.count == b.count, zip(a, b).allSatisfy({ abs($0 - $1) <= 1e-12 * max(1, abs($1)) }) else {
                    throw BenchError("cart-pole N = \(n): map and unrolled product \(k) differ")
                }
            }
            print("Cart-pole multiple shooting, N = \(n): constraint Jacobian and Hessian of λᵀg, map over one interval against the unrolled graph:")
            print("  C without sparsity arrays: map \(mapSource.reduce(0, +)) bytes, unrolled \(flatSource) bytes")
            print("  time to callable (tcc): map \(formatSeconds(mapCallable)), unrolled \(formatSeconds(flatCallable)) (\(format3(mapCallable / flatCallable))×)")
            Summary.record("cartpole_ms N=\(n) map time to callable", diffgen: mapCallable, anchor: flatCallable, anchorName: "DiffGen unrolled", unit: "s")
            for (k, label) in ["constraint Jacobian", "Hessian of λᵀg"].enumerated() {
                let inputs = k == 0 ? [w] : [w, lambda]
                var map: [Double] = [], flat: [Double] = []
                for _ in 0..<rounds {
                    map += Self.perCall(optimizedMap[k], inputs, rounds: 1)
                    flat += Self.perCall(optimizedFlat[k], inputs, rounds: 1)
                }
                let (m, f) = (median(map), median(flat))
                print("  \(label) per call (optimized tier): map \(formatSeconds(m)), unrolled \(formatSeconds(f)) (\(format3(m / f))×)")
                Summary.record("cartpole_ms N=\(n) map \(label) per call", diffgen: m, anchor: f, anchorName: "DiffGen unrolled", unit: "s")
            }
        }
    }

    /// Builds the C++ harness against the CasADi pip wheel's headers and library.
    static func buildHarness() throws -> String {
        let prefix = try runCapturing(["python3", "-c", "import casadi, os; print(os.path.dirname(casadi.__file__))"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let output = NSTemporaryDirectory() + "diffgen-casadi-repeat"
        let compile = try runCommand(["g++", "-O2", "-std=c++17", "-I\(prefix)/include", "Benchmarks/harness/casadi_repeat.cpp", "-o", output,
                                      "-L\(prefix)", "-lcasadi", "-Wl,-rpath,\(prefix)", "-ldl"])
        guard compile.status == 0 else { throw BenchError("cannot build the CasADi harness: \(compile.errors)") }
        return output
    }
}

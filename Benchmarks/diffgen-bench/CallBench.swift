import DiffGen
import Foundation
import ReferenceProblems

extension RepeatBench {
    /// Cart-pole multiple shooting with the RK4 step called once per interval (not inlined):
    /// constraint Jacobian and Lagrangian Hessian against DiffGen's unrolled graph and against
    /// CasADi's MX calling the same SX step (`casadi_repeat calls`).
    func callFigures(harness: String, work: String) throws {
        for n in horizons {
            let w = (0..<(5 * n + 4)).map { 0.3 * sin(1.3 * Double($0)) }, lambda = (0..<(4 * n)).map { 0.7 * cos(0.9 * Double($0)) }
            func products() throws -> [CallingFunction] {
                let (gaps, lagrangian) = try ReferenceProblems.cartpoleShootingCalls(intervals: n)
                return [try gaps.jacobian(of: 0, wrt: 0, name: "ms_calls_jac_\(n)"), try lagrangian.hessian(of: 0, wrt: 0, name: "ms_calls_hess_\(n)")]
            }
            let callsCallable = try cpuSeconds { for product in try products() { _ = try product.compiled() } }
            let callsSource = try products().map { try $0.generate(baseName: "c").source!.utf8.count }.reduce(0, +)
            // The unrolled products: the flat graph's sparse Jacobian and Lagrangian Hessian.
            func flatProducts() throws -> [Function] {
                let context = ExprContext()
                let ms = try ReferenceProblems.cartpoleMultipleShooting(context, intervals: n)
                let lagrangian = (0..<ms.constraints.count).reduce(ms.objective) { $0 + ms.lambda[$1] * ms.constraints[$1] }
                return [try Function("ms_flat_jac_\(n)", inputs: [("w", ms.w)], outputs: [("jac", try sparseJacobian(of: ms.constraints, wrt: ms.w))]),
                        try Function("ms_flat_hess_\(n)", inputs: [("w", ms.w), ("lambda", ms.lambda)],
                                     outputs: [("hess", try sparseHessian(of: lagrangian, wrt: ms.w))])]
            }
            let flatCallable = try cpuSeconds { _ = try JIT.compile(try flatProducts()) }
            let flatSource = try flatProducts().map { try CGenerator.generate([$0], baseName: "f").source!.utf8.count }.reduce(0, +)
            let optimizedCalls = try products().map { try $0.compiled(optimizeWith: SystemCompiler()) }
            let optimizedFlat = try JIT.compile(try flatProducts(), optimizeWith: SystemCompiler())
            for native in optimizedCalls + optimizedFlat where native.waitForOptimization(seconds: 300) != .optimized {
                throw BenchError("optimized tier: \(native.tier)")
            }
            var checksums: [Double] = []
            for k in 0..<2 {
                let inputs = k == 0 ? [w] : [w, lambda]
                let (a, b) = (try optimizedCalls[k](inputs)[0], try optimizedFlat[k](inputs)[0])
                guard a.count == b.count, zip(a, b).allSatisfy({ abs($0 - $1) <= 1e-12 * max(1, abs($1)) }) else {
                    throw BenchError("cart-pole N = \(n): calls and unrolled product \(k) differ")
                }
                checksums.append(a.reduce(0, +))
            }
            var times = [[Double]](repeating: [], count: 4)
            var anchors: [String: (build: Double, call: Double, checksum: Double)] = [:]
            for round in 0..<rounds {
                for k in 0..<2 {
                    let inputs = k == 0 ? [w] : [w, lambda]
                    times[2 * k] += Self.perCall(optimizedCalls[k], inputs, rounds: 1)
                    times[2 * k + 1] += Self.perCall(optimizedFlat[k], inputs, rounds: 1)
                }
                if round == rounds / 2 { anchors = try Self.casadiAnchors(harness, "calls", n, rounds: rounds, work: work) }
            }
            for (key, anchor) in anchors {
                let checksum = checksums[key.hasSuffix("jac") ? 0 : 1]
                guard abs(anchor.checksum - checksum) <= 1e-10 * max(1, abs(checksum)) else {
                    throw BenchError("CasADi's \(key) sums to \(anchor.checksum), ours to \(checksum)")
                }
            }
            print("Cart-pole multiple shooting, N = \(n), the RK4 step called once per interval (not inlined):")
            print("  C: calls \(callsSource) bytes, unrolled \(flatSource) bytes; time to callable (tcc, both products): calls "
                  + "\(formatSeconds(callsCallable)), unrolled \(formatSeconds(flatCallable)) (\(format3(callsCallable / flatCallable))×)")
            Summary.record("cartpole_ms N=\(n) calls time to callable", diffgen: callsCallable, anchor: flatCallable, anchorName: "DiffGen unrolled", unit: "s")
            for (k, (label, key)) in [("constraint Jacobian", "jac"), ("Lagrangian Hessian", "hess")].enumerated() {
                let (calls, flat) = (median(times[2 * k]), median(times[2 * k + 1]))
                let (vm, c) = (anchors["mx_vm_\(key)"]!, anchors["mx_c_\(key)"]!)
                let fastest = min(vm.call, c.call)
                print("  \(label) per call (optimized tier): calls \(formatSeconds(calls)), unrolled \(formatSeconds(flat)) (\(format3(calls / flat))×); "
                      + "CasADi MX calls: virtual machine \(formatSeconds(vm.call)), generated C \(formatSeconds(c.call)) → \(format3(calls / fastest))× CasADi's fastest")
                Summary.record("cartpole_ms N=\(n) calls \(label) per call", diffgen: calls, anchor: flat, anchorName: "DiffGen unrolled", unit: "s")
                Summary.record("cartpole_ms N=\(n) calls \(label) per call vs CasADi", diffgen: calls, anchor: fastest,
                               anchorName: "CasADi MX calls, fastest (\(vm.call < c.call ? "virtual machine" : "generated C"))", unit: "s")
            }
            let casadiBuild = anchors["mx_c_jac"]!.build + anchors["mx_c_hess"]!.build
            print("  CasADi MX to generated C (both products, gcc not counted): \(formatSeconds(casadiBuild)); DiffGen calls to callable: \(format3(callsCallable / casadiBuild))×")
            Summary.record("cartpole_ms N=\(n) calls time to callable vs CasADi", diffgen: callsCallable, anchor: casadiBuild,
                           anchorName: "CasADi MX Function and C generation", unit: "s")
        }
    }
}

extension RepeatBench {
    /// The cart-pole rolled out over a horizon as a fold of one RK4 step: ∂x_N/∂u against
    /// DiffGen's unrolled graph and CasADi's flat SX and MX mapaccum (`casadi_repeat rollout`).
    func rolloutFigures(harness: String, work: String) throws {
        for n in horizons {
            let x0 = [0.1, 0.4, -0.2, 0.3], u = (0..<n).map { 0.5 * sin(0.7 * Double($0)) }
            var fold: NativeFunction? = nil
            let foldCallable = try cpuSeconds { fold = try FoldJacobian(of: try ReferenceProblems.cartpoleRolloutFold(horizon: n), wrt: 1, name: "roll_fold_jac_\(n)").compiled() }
            let foldSource = try FoldJacobian(of: try ReferenceProblems.cartpoleRolloutFold(horizon: n), wrt: 1, name: "r").generate(baseName: "r").source!.utf8.count
            func unrolled() throws -> Function {
                let context = ExprContext()
                let (x0, u) = (context.vector("x0", count: 4), context.vector("u", count: n))
                var x = (0..<4).map { x0[$0] }
                for k in 0..<n { x = ReferenceProblems.cartpoleRK4(x, u[k]) }
                return try Function("roll_flat_jac_\(n)", inputs: [("x0", x0), ("u", u)], outputs: [("jac", try sparseJacobian(of: try Matrix(column: x), wrt: u))])
            }
            let flatCallable = try cpuSeconds { _ = try unrolled().compiled() }
            let flatSource = try CGenerator.generate([try unrolled()], baseName: "f").source!.utf8.count
            let optimizedFold = try FoldJacobian(of: try ReferenceProblems.cartpoleRolloutFold(horizon: n), wrt: 1, name: "roll_fold_jac_\(n)")
                .compiled(optimizeWith: SystemCompiler())
            let optimizedFlat = try unrolled().compiled(optimizeWith: SystemCompiler())
            let times = try Self.timeFold(fold!, optimized: optimizedFold, unrolled: optimizedFlat, at: [x0, u], casadi: "rollout", size: n,
                                          harness: harness, work: work, rounds: rounds, tolerance: 1e-10)
            print("Cart-pole rollout, N = \(n), ∂x_N/∂u as a fold of one RK4 step (CasADi's checksums equal to 1e-10):")
            print("  C: fold \(foldSource) bytes, unrolled \(flatSource) bytes; time to callable (tcc): fold \(formatSeconds(foldCallable)), unrolled \(formatSeconds(flatCallable))")
            times.report(figure: "cartpole rollout N=\(n) fold Jacobian")
            Summary.record("cartpole rollout N=\(n) fold time to callable", diffgen: foldCallable, anchor: flatCallable, anchorName: "DiffGen unrolled", unit: "s")
        }
    }
}

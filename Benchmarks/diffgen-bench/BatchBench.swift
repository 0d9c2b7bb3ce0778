import ArgumentParser
import DiffGen
import Foundation
import ReferenceProblems

/// Batched evaluation: points per second of one batched call against a loop of single calls,
/// same function, same tier, same thread (interleaved rounds, medians).
struct BatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch", abstract: "Batched Panda Jacobian against a loop of single calls.")

    @Option(help: "Points per batched call.")
    var points = 4096
    @Option(help: "Interleaved rounds (medians are reported).")
    var rounds = 15
    @Option(help: "Lanes of the batched code.")
    var lanes = 8
    @Option(help: "Also write the optimized tier's C here.")
    var emit: String?

    func run() throws {
        let context = ExprContext()
        let fk = try ReferenceProblems.pandaFK(context)
        let q = try fk.input(0)
        let jac = try Function("panda_jac", inputs: [("q", q)], outputs: [("jac", try jacobian(of: fk.output(0), wrt: q))])
        var options = CodegenOptions()
        options.batchLanes = lanes
        var vectorOptions = options
        vectorOptions.batchMath = .vector
        if let emit {
            vectorOptions.compiler = .standard
            try CGenerator.generate([jac], baseName: "batch", options: vectorOptions).source!.write(toFile: emit, atomically: true, encoding: .utf8)
            vectorOptions.compiler = .tcc
        }
        let exact = try jac.compiled(options: options, optimizeWith: SystemCompiler())
        let vector = try jac.compiled(options: vectorOptions, optimizeWith: SystemCompiler())
        for native in [exact, vector] where native.waitForOptimization(seconds: 120) != .optimized {
            throw ValidationError("optimized tier: \(native.tier)")
        }
        // Points spread over the joint range, entry-major for the batch, point-major for singles.
        let n = points
        var batchInput = [Double](repeating: 0, count: 7 * n)
        for p in 0..<n { for k in 0..<7 { batchInput[k * n + p] = -2 + 4 * Double((p * 7919 + k * 104_729) % 10_007) / 10_007 } }
        let outputSize = exact.outputSizes[0]
        var singleOutput = [Double](repeating: 0, count: outputSize * n)
        var singleInput = [Double](repeating: 0, count: 7 * n)
        for p in 0..<n { for k in 0..<7 { singleInput[p * 7 + k] = batchInput[k * n + p] } }
        var batchOutputs = [[Double]](repeating: [Double](repeating: 0, count: outputSize * n), count: 2)
        let work = UnsafeMutablePointer<Double>.allocate(capacity: max(1, exact.workSize, exact.batchWorkSize, vector.batchWorkSize))
        defer { work.deallocate() }
        var single: [Double] = [], batched: [[Double]] = [[], []]
        let repeats = max(1, 200_000 / n)
        for _ in 0..<rounds {
            single.append(cpuSeconds {
                singleInput.withUnsafeBufferPointer { input in
                    singleOutput.withUnsafeMutableBufferPointer { output in
                        for _ in 0..<repeats {
                            for p in 0..<n {
                                var ins: UnsafePointer<Double>? = input.baseAddress! + 7 * p
                                var outs: UnsafeMutablePointer<Double>? = output.baseAddress! + outputSize * p
                                exact.call(inputs: &ins, outputs: &outs, work: work)
                            }
                        }
                    }
                }
            } / Double(repeats * n))
            for (k, native) in [exact, vector].enumerated() {
                batched[k].append(cpuSeconds {
                    batchInput.withUnsafeBufferPointer { input in
                        batchOutputs[k].withUnsafeMutableBufferPointer { output in
                            var ins: UnsafePointer<Double>? = input.baseAddress!
                            var outs: UnsafeMutablePointer<Double>? = output.baseAddress!
                            for _ in 0..<repeats { native.callBatch(inputs: &ins, outputs: &outs, count: n, stride: n, work: work) }
                        }
                    }
                } / Double(repeats * n))
            }
        }
        // Results must agree (exactly, or to vector math's accuracy) before speeds mean anything.
        var vectorError = 0.0
        for p in 0..<n {
            for k in 0..<outputSize {
                let reference = singleOutput[p * outputSize + k]
                guard batchOutputs[0][k * n + p].bitPattern == reference.bitPattern else {
                    throw ValidationError("exact batched and single results differ at point \(p), entry \(k)")
                }
                vectorError = max(vectorError, abs(batchOutputs[1][k * n + p] - reference))
            }
        }
        guard vectorError < 1e-13 else { throw ValidationError("vector math batched results off by \(vectorError)") }
        let s = median(single), (e, v) = (median(batched[0]), median(batched[1]))
        print("Batched Panda Jacobian (\(outputSize) outputs, optimized tier, \(lanes) lanes, \(n) points per call, one thread, \(rounds) rounds):")
        print("  loop of single calls:        \(formatSeconds(s))/point = \(format3(1e-6 / s)) M points/s")
        print("  batched, exact math:         \(formatSeconds(e))/point = \(format3(1e-6 / e)) M points/s (\(format3(s / e))× the loop; bit-identical)")
        print("  batched, vector math:        \(formatSeconds(v))/point = \(format3(1e-6 / v)) M points/s (\(format3(s / v))× the loop; max |Δ| \(String(format: "%.1e", vectorError)))")
        Summary.record("batched Panda Jacobian, exact math: time per point", diffgen: e * 1e9, anchor: s * 1e9, anchorName: "loop of single calls (same tier)", unit: "ns")
        Summary.record("batched Panda Jacobian, vector math: time per point", diffgen: v * 1e9, anchor: s * 1e9, anchorName: "loop of single calls (same tier)", unit: "ns")
    }
}

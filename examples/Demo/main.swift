// The main job (`make demo`): the Franka Panda forward kinematics in the Swift DSL, its Jacobian,
// C for both written to generated/, and both compiled in this process with libtcc and timed.
import DiffGen
import ReferenceProblems

#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func format(_ seconds: Double) -> String {
    seconds < 1e-3 ? "\(Int((seconds * 1e6).rounded())) µs" : "\((seconds * 1e4).rounded() / 10) ms"
}

let referenceF: [Double] = [
    0.283648301323615, 0.158843580916048, 0.789989190154736, 0.189496874960934,
    0.744357983800958, -0.640329701272566, 0.733319233821195, -0.540961101235633,
    -0.411830047784068, -0.652942444391492, -0.391525578860059, -0.648362464529185,
]
let referenceJacobianSum = 3.79846112863819

/// One run of the whole path for the Jacobian: DSL → Jacobian → C → libtcc → first call returns.
func timeToCallable() throws -> (total: Double, build: Double, derive: Double, compile: Double) {
    let start = now()
    let fk = try ReferenceProblems.pandaFK(ExprContext())
    let built = now()
    let q = try fk.input(0)
    let jac = try Function("panda_jac", inputs: [("q", q)], outputs: [("jac", try jacobian(of: fk.output(0), wrt: q))])
    let derived = now()
    _ = try jac.compiled()([ReferenceProblems.defaultPoint(7)])
    let end = now()
    return (end - start, built - start, derived - built, end - derived)
}
_ = try timeToCallable()  // first use loads code and templates; time steady-state runs
let runs = try (0..<5).map { _ in try timeToCallable() }.sorted { $0.total < $1.total }
let typical = runs[2]

let context = ExprContext()
let fk = try ReferenceProblems.pandaFK(context)
let q = try fk.input(0)
let jac = try Function("panda_jac", inputs: [("q", q)], outputs: [("jac", try jacobian(of: fk.output(0), wrt: q))])
let compiled = try JIT.compile([fk, jac])
let point = ReferenceProblems.defaultPoint(7)
let f = try compiled[0]([point])[0]
let j = try compiled[1]([point])[0]

// Steady state: the allocation-free call, the input changing every call.
func secondsPerCall(_ native: NativeFunction, calls: Int = 200_000) -> (seconds: Double, checksum: Double) {
    var input = point
    var output = [Double](repeating: 0, count: 84)
    var work = [Double](repeating: 0, count: max(native.workSize, 1))
    var checksum = 0.0
    let loopStart = now()
    input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            work.withUnsafeMutableBufferPointer { workBuffer in
                let inputs: [UnsafePointer<Double>?] = [UnsafePointer(inBuffer.baseAddress)]
                let outputs: [UnsafeMutablePointer<Double>?] = [outBuffer.baseAddress]
                inputs.withUnsafeBufferPointer { ins in
                    outputs.withUnsafeBufferPointer { outs in
                        for k in 0..<calls {
                            inBuffer[k % 7] += 1e-9
                            native.call(inputs: ins.baseAddress!, outputs: outs.baseAddress!, work: workBuffer.baseAddress!)
                            checksum += outBuffer[k % 84]
                        }
                    }
                }
            }
        }
    }
    return ((now() - loopStart) / Double(calls), checksum)
}
let (perCall, checksum) = secondsPerCall(compiled[1])

// The optimized tier: the system compiler at -O2, tuned to this CPU, in the background,
// swapped in when ready.
let tieredStart = now()
let tiered = try jac.compiled(optimizeWith: SystemCompiler())
let tier = tiered.waitForOptimization(seconds: 300)
let optimizedReady = now() - tieredStart
let (optimizedPerCall, optimizedChecksum) = secondsPerCall(tiered)

let generated = try CGenerator.generate([fk, jac], baseName: "panda_fk")
try generated.write(to: "generated")

print("DiffGen demo — Franka Panda forward kinematics (modified DH, 7 joints)")
print("  expression: \(context.graph.count) nodes; f has \(generated.operationCounts[0]) operations, its Jacobian \(generated.operationCounts[1]) (CasADi with cse: 143 and 535)")
print("  q = \(point.map { ($0 * 1e4).rounded() / 1e4 })")
print("  position = \(f[0..<3].map { ($0 * 1e6).rounded() / 1e6 })")
let maxError = zip(f, referenceF).map { Swift.abs($0 - $1) }.max()!
let jacobianSum = j.reduce(0, +)
print("  |f − CasADi reference| ≤ \(maxError); Σ J = \(jacobianSum) (reference \(referenceJacobianSum))")
print("  Jacobian time to callable, median of 5 (build \(format(typical.build)) + Jacobian \(format(typical.derive)) + C, libtcc and first call \(format(typical.compile))): \(format(typical.total))")
print("  Jacobian through libtcc: \(Int((perCall * 1e9).rounded())) ns per call, \(Int(1 / perCall)) evaluations per second (checksum \(checksum))")
if tier == .optimized {
    print("  optimized tier (cc \(SystemCompiler.codeFlags.joined(separator: " ")) in the background, cached on disk): in place after \(format(optimizedReady)); \(Int((optimizedPerCall * 1e9).rounded())) ns per call, \(Int(1 / optimizedPerCall)) evaluations per second (checksum \(optimizedChecksum))")
} else {
    print("  optimized tier unavailable (\(tier)); calls stay on tcc's code")
}
print("  wrote generated/panda_fk.c and generated/panda_fk.h (CasADi external-function ABI)")
guard maxError < 1e-12, Swift.abs(jacobianSum - referenceJacobianSum) < 1e-12 * Swift.abs(referenceJacobianSum) else {
    print("demo FAILED: values differ from the reference")
    exit(1)
}
print("demo OK")

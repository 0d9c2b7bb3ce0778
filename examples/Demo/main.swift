// The main job (`make demo`): build the Franka Panda forward kinematics in the Swift DSL,
// evaluate it, and check it against the reference values of shared/bench/PROBLEMS.md.
import DiffGen
import ReferenceProblems

let referenceF: [Double] = [
    0.283648301323615, 0.158843580916048, 0.789989190154736, 0.189496874960934,
    0.744357983800958, -0.640329701272566, 0.733319233821195, -0.540961101235633,
    -0.411830047784068, -0.652942444391492, -0.391525578860059, -0.648362464529185,
]

let clock = ContinuousClock()
let context = ExprContext()
var fk: Function? = nil
let buildTime = try clock.measure { fk = try ReferenceProblems.pandaFK(context) }
let function = fk!
let interpreter = Interpreter(function)
let q = ReferenceProblems.defaultPoint(7)
let f = try interpreter.evaluate([q])[0]

let calls = 100_000
var sink = 0.0
let evalTime = try clock.measure {
    var point = q
    for k in 0..<calls {
        point[0] = q[0] + 1e-9 * Double(k & 7)
        sink += try interpreter.evaluate([point])[0][0]
    }
}

func format(_ d: Duration) -> String {
    let (s, atto) = d.components
    let micro = Double(s) * 1e6 + Double(atto) / 1e12
    return micro < 1000 ? "\(Int(micro.rounded())) µs" : "\((micro / 100).rounded() / 10) ms"
}

print("DiffGen demo — Franka Panda forward kinematics (modified DH, 7 joints)")
print("  graph: \(context.graph.count) nodes, \(function.operationCount) operations in f, built in \(format(buildTime))")
print("  q = \(q.map { ($0 * 1e4).rounded() / 1e4 })")
print("  position    = \(f[0..<3].map { ($0 * 1e6).rounded() / 1e6 })")
print("  rotation    = \(f[3..<12].map { ($0 * 1e4).rounded() / 1e4 })")
let maxError = zip(f, referenceF).map { Swift.abs($0 - $1) }.max()!
print("  max |f - reference (CasADi 3.8.2)| = \(maxError)")
print("  interpreter: \(Int((Double(evalTime.components.seconds) * 1e9 + Double(evalTime.components.attoseconds) / 1e9) / Double(calls))) ns per call (checksum \(sink))")
guard maxError < 1e-12 else {
    print("demo FAILED: values differ from the reference")
    exit(1)
}
print("demo OK")

#if canImport(Glibc)
import Glibc
#endif

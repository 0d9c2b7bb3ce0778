import CLAPACK
import CartPoleMPC
import DiffGen
import Foundation
import Testing

private let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("examples/models")

/// The stage (x⁺, A, B) and step functions of examples/models/cartpole.dg, compiled.
private func cartPole() throws -> (stage: Workspace, step: Workspace, plant: Workspace) {
    let model = try Model(contentsOf: models.appendingPathComponent("cartpole.dg").path)
    let step = model.functions.first { $0.name == "step" }!, linearization = model.functions.first { $0.name == "linearization" }!
    let stage = try Function("stage", inputs: [("x", try step.input(0)), ("u", try step.input(1))],
                             outputs: [("next", try step.output(0)), ("A", try linearization.output(0)), ("B", try linearization.output(1))])
    let plant = try Model(contentsOf: models.appendingPathComponent("cartpole.dg").path, overrides: ["dt": 0.005]).functions.first { $0.name == "step" }!
    return (Workspace(try stage.compiled()), Workspace(try step.compiled()), Workspace(try plant.compiled()))
}

/// Without active bounds, one real-time iteration from a zero warm start is one Newton (LQ)
/// step on the single-shooting problem: its plan must equal the minimizer of the quadratic
/// model built independently — the condensed LQ problem over all inputs, solved by LAPACK.
@Test func riccatiStepEqualsTheCondensedLQSolution() throws {
    let (stage, step, _) = try cartPole()
    let n = 4, horizon = 8
    let controller = RealTimeILQR(horizon: horizon, q: ClosedLoop.q, r: ClosedLoop.r, bounds: -1e6...1e6, stage: stage, step: step)
    controller.regularization = 0
    let x0 = [0.1, 0.2, -0.1, 0.05]
    let first = controller.control(from: x0)
    // Condensed: x_k = x̄_k + Σ_{j<k} G_kj δu_j along the rollout with u = 0.
    var xs = [x0], a: [[Double]] = [], b: [[Double]] = []
    for _ in 0..<horizon {
        for i in 0..<n { stage.input(0)[i] = xs.last![i] }
        stage.input(1)[0] = 0
        stage.run()
        xs.append(Array(stage.output(0)))
        a.append(Array(stage.output(1)))
        b.append(Array(stage.output(2)))
    }
    // G[k][j]: ∂x_k/∂u_j (n-vector), by propagating B_j through the A's.
    var g = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: n), count: horizon), count: horizon + 1)
    for j in 0..<horizon {
        g[j + 1][j] = b[j]
        for k in (j + 1)..<horizon {
            g[k + 1][j] = (0..<n).map { row in (0..<n).reduce(0.0) { $0 + a[k][row + $1 * n] * g[k][j][$1] } }
        }
    }
    // Cost Σ_{k=0}^{N} x_kᵀQx_k + Σ R u_k²: H δu = −grad with H = 2(Gᵀ Q G + R I), grad = 2 Gᵀ Q x̄.
    var h = [Double](repeating: 0, count: horizon * horizon), rhs = [Double](repeating: 0, count: horizon)
    for i in 0..<horizon {
        for j in 0..<horizon {
            var sum = i == j ? 2 * ClosedLoop.r : 0
            for k in 1...horizon {
                for m in 0..<n { sum += 2 * g[k][i][m] * ClosedLoop.q[m] * g[k][j][m] }
            }
            h[i + j * horizon] = sum
        }
        var gradient = 0.0
        for k in 1...horizon {
            for m in 0..<n { gradient += 2 * g[k][i][m] * ClosedLoop.q[m] * xs[k][m] }
        }
        rhs[i] = -gradient
    }
    let info = LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(horizon), 1, &h, Int32(horizon), &rhs, Int32(horizon))
    try #require(info == 0)
    // The first input has no feedback term (the rollout starts at x0): it is the LQ minimizer's.
    #expect(abs(first - rhs[0]) <= 1e-9 * max(1, abs(rhs[0])), "u_0: \(first) against \(rhs[0])")
}

/// The closed loop balances the pole from 0.4 rad within the bounds (they are active at the
/// start), and the same controller on CasADi's derivatives (CasADi's own generated C, built
/// with gcc) flies the same trajectory.
@Test func closedLoopBalancesWithinBoundsAndMatchesCasADisDerivatives() throws {
    let (stage, step, plant) = try cartPole()
    let loop = ClosedLoop(steps: 200, stage: stage, step: step, plant: plant)
    #expect(loop.boundViolation == 0)
    #expect(loop.inputs.contains { abs($0) == ClosedLoop.bounds.upperBound }, "the bounds never act: the test would prove nothing about them")
    #expect(loop.states[100...].allSatisfy { abs($0[1]) < 0.05 } && abs(loop.states.last![0]) < 0.05, "\(loop.states.last!)")
    // The twin, from CasADi.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-twin-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let script = models.deletingLastPathComponent().appendingPathComponent("MPCCartPole/casadi_twin.py").path
    for command in [["python3", script, "\(directory)/twin.c"], ["gcc", "-O2", "-fPIC", "-shared", "-o", "\(directory)/libtwin.so", "\(directory)/twin.c", "-lm"]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(command[0]) failed (make test installs casadi)")
    }
    let library = try CasADiLibrary(path: "\(directory)/libtwin.so")
    let twin = ClosedLoop(steps: 200, stage: try CasADiLibrary.Function(library, name: "casadi_stage"),
                          step: try CasADiLibrary.Function(library, name: "casadi_step"), plant: plant)
    let gap = zip(loop.states, twin.states).flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
    #expect(gap <= 1e-9, "the loops differ by \(gap)")
}

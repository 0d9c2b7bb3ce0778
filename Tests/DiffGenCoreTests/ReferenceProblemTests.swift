import DiffGenCore
import DiffGenTestSupport
import ReferenceProblems
import Testing

/// Function values at the PROBLEMS.md evaluation points against CasADi 3.8.2's reference sums.
@Test func referenceProblemValuesMatchCasADi() throws {
    func check(_ f: Function, _ point: [[Double]], sum: Double, sumAbs: Double, _ name: String) throws {
        let out = try Interpreter(f).evaluate(point).flatMap { $0 }
        #expect(isClose(out.reduce(0, +), sum, tolerance: 1e-12), "\(name): sum \(out.reduce(0, +)) vs \(sum)")
        #expect(isClose(out.map(Swift.abs).reduce(0, +), sumAbs, tolerance: 1e-12), "\(name)")
    }
    let p = ReferenceProblems.defaultPoint
    try check(ReferenceProblems.pandaFK(ExprContext()), [p(7, 0)],
              sum: -0.386296173095517, sumAbs: 6.18560650305049, "panda_fk")
    try check(ReferenceProblems.cartpoleStep(ExprContext()), [p(5, 0)],
              sum: 2.13667251922118, sumAbs: 2.13667251922118, "cartpole_step")
    try check(ReferenceProblems.mlp(ExprContext()), [p(107, 0)],
              sum: -1.08482638075227, sumAbs: 1.08482638075227, "mlp")
    try check(ReferenceProblems.rosenbrock(ExprContext(), n: 1000), [p(1000, 0)],
              sum: 10986.0806615748, sumAbs: 10986.0806615748, "rosenbrock_1000")
    try check(ReferenceProblems.nbodyEnergy(ExprContext()), [p(90, 0)],
              sum: -3390.87676524262, sumAbs: 3390.87676524262, "nbody")
    try check(ReferenceProblems.deepChain(ExprContext(), steps: 100_000), [[1.5, 0.5]],
              sum: 1.88835675608642, sumAbs: 1.88835675608642, "deep_chain")
}

@Test func pandaForwardKinematicsNeedsFewerOperationsThanCasADi() throws {
    let f = try ReferenceProblems.pandaFK(ExprContext())
    // CasADi 3.8.2 needs 143 operations for the same function (shared/bench/RESULTS.md).
    #expect(f.operationCount < 143)
}

import ArgumentParser
import DiffGen
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every derivative output against numbers from the function's own values.",
        discussion: """
        Each output written as a derivative (output J = jacobian(f, x), gradient, hessian, \
        lagrangian_hessian, jvp, vjp, hvp and their sparse forms) is compared at random points \
        with central differences, second differences or complex step of f. Prints the worst \
        error per derivative and method; exits 1 when one exceeds its tolerance.
        """
    )

    @OptionGroup var model: ModelOptions
    @Option(help: "How many random points.") var points: Int = 3
    @Option(help: "The seed of the random points.") var seed: UInt64 = 1
    @Option(help: "Input values are drawn uniformly from [-R, R].") var range: Double = 1

    func run() throws {
        guard points >= 1 else { throw CommandFailure.input("--points must be at least 1") }
        let built = try model.load()
        guard !built.derivatives.isEmpty || !built.loopDerivatives.isEmpty else {
            print("no derivative outputs to check (write one as `output J = jacobian(f, x)`)")
            return
        }
        var generator = SplitMix(seed: seed)
        let samples = (0..<points).map { _ in
            built.inputs.map { input in (0..<input.value.count).map { _ in generator.uniform(-range, range) } }
        }
        var failed = false
        for derivative in built.derivatives {
            Progress.step("checking \(derivative.output)")
            var worst: [String: DerivativeOutput.Result] = [:]
            var order: [String] = []
            for point in samples {
                for result in try derivative.check(inputs: built.inputs, at: point) {
                    if worst[result.method] == nil { order.append(result.method) }
                    if result.worstError >= (worst[result.method]?.worstError ?? -1) { worst[result.method] = result }
                }
            }
            Progress.done()
            for method in order {
                let result = worst[method]!
                failed = failed || !result.passed
                print("\(derivative.output) = \(derivative.builtin)(…, \(derivative.variableName)): \(method): worst error \(result.worstError) (tolerance \(result.tolerance)) \(result.passed ? "ok" : "FAILED")")
            }
        }
        for derivative in built.loopDerivatives {
            guard let base = built.loops.first(where: { $0.name == derivative.of }),
                  let loop = built.loops.first(where: { $0.name == derivative.name }) else { continue }
            Progress.step("checking loop \(derivative.name)")
            let check = try LoopCheck(derivative: derivative, base: base, loop: loop)
            var worst = 0.0
            for _ in 0..<points {
                let point = base.inputPorts.map { port in (0..<port.size).map { _ in generator.uniform(-range, range) } }
                worst = max(worst, try check.worstError(at: point, using: &generator))
            }
            let tolerance = check.tolerance
            Progress.done()
            let method = derivative.kind == .jacobian ? "central differences" : "second differences"
            failed = failed || worst > tolerance
            print("loop \(derivative.name) = \(derivative.kind == .jacobian ? "jacobian" : "hessian")(\(derivative.of), \(derivative.input)): \(method): worst error \(worst) (tolerance \(tolerance)) \(worst <= tolerance ? "ok" : "FAILED")")
        }
        if failed { throw CommandFailure(message: "a derivative differs from its numerical reference beyond the tolerance", code: 1) }
    }
}

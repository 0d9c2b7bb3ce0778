import DiffGen
import Foundation

/// The closed loop: the controller on a model, the plant simulated by a finer RK4 (ten steps of
/// dt/10 per control interval), from a perturbed start.
public struct ClosedLoop {
    public static let q = [1.0, 10.0, 0.1, 0.1], r = 0.01
    public static let bounds = -5.0...5.0
    public static let start = [0.0, 0.4, 0.0, 0.0]

    public let states: [[Double]]
    public let inputs: [Double]
    /// Wall time of each control step (linearization, Riccati recursion, rollout), in seconds.
    public let stepSeconds: [Double]

    /// Runs `steps` control intervals with the real-time iteration.
    public init(horizon: Int = 20, steps: Int, stage: Evaluator, step: Evaluator, plant: Evaluator) {
        let controller = RealTimeILQR(horizon: horizon, q: Self.q, r: Self.r, bounds: Self.bounds, stage: stage, step: step)
        // Before the loop starts, converge the plan at the initial state (as real-time schemes do
        // when they start); then one iteration per control step.
        var x = Self.start
        controller.warmUp(from: x, iterations: 20)
        var states = [x], inputs: [Double] = [], seconds: [Double] = []
        states.reserveCapacity(steps + 1)
        for _ in 0..<steps {
            let begin = DispatchTime.now().uptimeNanoseconds
            let u = controller.control(from: x)
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9)
            for _ in 0..<10 {
                let (xIn, uIn) = (plant.input(0), plant.input(1))
                for i in 0..<4 { xIn[i] = x[i] }
                uIn[0] = u
                plant.run()
                let next = plant.output(0)
                for i in 0..<4 { x[i] = next[i] }
            }
            states.append(x)
            inputs.append(u)
        }
        (self.states, self.inputs, stepSeconds) = (states, inputs, seconds)
    }

    /// Σ xₖᵀQxₖ + R·uₖ² along the loop, plus the final state's xᵀQx.
    public var cost: Double {
        zip(states, inputs).reduce(0.0) { total, pair in total + zip(Self.q, pair.0).reduce(0.0) { $0 + $1.0 * $1.1 * $1.1 } + Self.r * pair.1 * pair.1 }
            + zip(Self.q, states.last!).reduce(0.0) { $0 + $1.0 * $1.1 * $1.1 }
    }

    /// The largest amount by which an applied input leaves the bounds (0 when none does).
    public var boundViolation: Double {
        inputs.map { max(0, $0 - Self.bounds.upperBound, Self.bounds.lowerBound - $0) }.max() ?? 0
    }

    /// Median control steps per second.
    public var rate: Double { 1 / stepSeconds.sorted()[stepSeconds.count / 2] }
}

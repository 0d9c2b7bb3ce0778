import CLAPACK

/// A real-time iteration of box-constrained iLQR for the cart-pole (4 states, 1 input) over a
/// horizon of N steps: each control step rolls the warm-started inputs out through the model
/// while linearizing it (one call per stage), solves the LQ subproblem backwards with a Riccati
/// recursion (Quu solves by LAPACK's dposv; with one input the box-constrained stage QP is
/// solved exactly by clamping, with no feedback where the bound is active), and rolls the new
/// policy out (one model call per stage; up to three more, with the feedforward halved, while the
/// cost does not fall). Stage cost xᵀQx + R·u², terminal xᵀQx.
///
/// Allocates nothing per step: every array is made in `init`.
public final class RealTimeILQR {
    public static let nx = 4
    public let horizon: Int
    public let q: [Double], r: Double
    public let bounds: ClosedRange<Double>
    /// Levenberg–Marquardt regularization of Quu.
    public var regularization = 1e-8
    private let stage: Evaluator, step: Evaluator
    private var xs: [Double], us: [Double], feedforward: [Double], gains: [Double], trial: [Double], candidate: [Double]
    private var linear: [Double]  // A_k (16, column-major) and B_k (4) per stage
    // The backward pass's value function and Q-function terms, reused every step.
    private var vx: [Double], vxx: [Double], qx: [Double], qxx: [Double], qux: [Double], va: [Double], vb: [Double], solution: [Double]

    /// `stage` evaluates (x, u) → (x⁺, A, B) with A dense and column-major; `step` (x, u) → x⁺.
    public init(horizon: Int, q: [Double], r: Double, bounds: ClosedRange<Double>, stage: Evaluator, step: Evaluator) {
        (self.horizon, self.q, self.r, self.bounds, self.stage, self.step) = (horizon, q, r, bounds, stage, step)
        let n = Self.nx
        xs = [Double](repeating: 0, count: (horizon + 1) * n)
        trial = xs
        us = [Double](repeating: 0, count: horizon)
        feedforward = us
        candidate = us
        gains = [Double](repeating: 0, count: horizon * n)
        linear = [Double](repeating: 0, count: horizon * (n * n + n))
        (vx, qx, qux, vb) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n), [Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
        (vxx, qxx, va) = ([Double](repeating: 0, count: n * n), [Double](repeating: 0, count: n * n), [Double](repeating: 0, count: n * n))
        solution = [Double](repeating: 0, count: 1 + n)
    }

    /// The planned inputs (after the last `control`), first one applied.
    public var plan: [Double] { us }

    /// One real-time iteration from the measured state; returns the input to apply now, and
    /// shifts the plan by one step as the next step's warm start.
    public func control(from x0: [Double]) -> Double {
        let first = iterate(from: x0)
        for k in 0..<(horizon - 1) { us[k] = us[k + 1] }
        return first
    }

    /// `iterations` iLQR iterations from `x0` without applying or shifting anything.
    public func warmUp(from x0: [Double], iterations: Int) {
        for _ in 0..<iterations { iterate(from: x0) }
    }

    @discardableResult
    private func iterate(from x0: [Double]) -> Double {
        let n = Self.nx
        // 1. Roll the warm start out, linearizing along it.
        for i in 0..<n { xs[i] = x0[i] }
        for k in 0..<horizon {
            let x = stage.input(0), u = stage.input(1)
            for i in 0..<n { x[i] = xs[k * n + i] }
            u[0] = us[k]
            stage.run()
            let next = stage.output(0), a = stage.output(1), b = stage.output(2)
            for i in 0..<n { xs[(k + 1) * n + i] = next[i] }
            let base = k * (n * n + n)
            for i in 0..<(n * n) { linear[base + i] = a[i] }
            for i in 0..<n { linear[base + n * n + i] = b[i] }
        }
        backwardPass()
        // 3. Roll the new policy out through the model: the full step, or shorter steps along the
        //    feedforward while they do not lower the cost (the rollout of an unstable plant under
        //    saturated inputs can be far from the LQ model's prediction).
        let nominal = cost(of: xs, us)
        var alpha = 1.0
        for attempt in 0..<4 {
            if rollout(from: x0, alpha: alpha) < nominal || attempt == 3 { break }
            alpha *= 0.5
        }
        swap(&us, &candidate)
        return us[0]
    }

    /// Rolls out u = ū + α·k + K·(x − x̄) from x0 into `trial`/`candidate`; returns its cost.
    private func rollout(from x0: [Double], alpha: Double) -> Double {
        let n = Self.nx
        for i in 0..<n { trial[i] = x0[i] }
        for k in 0..<horizon {
            var u = us[k] + alpha * feedforward[k]
            for i in 0..<n { u += gains[k * n + i] * (trial[k * n + i] - xs[k * n + i]) }
            u = min(max(u, bounds.lowerBound), bounds.upperBound)
            candidate[k] = u
            let x = step.input(0), uIn = step.input(1)
            for i in 0..<n { x[i] = trial[k * n + i] }
            uIn[0] = u
            step.run()
            let next = step.output(0)
            for i in 0..<n { trial[(k + 1) * n + i] = next[i] }
        }
        return cost(of: trial, candidate)
    }

    /// Σ xₖᵀQxₖ + R·uₖ² over the horizon plus the terminal xᵀQx.
    private func cost(of states: [Double], _ inputs: [Double]) -> Double {
        var total = 0.0
        for k in 0...horizon {
            for i in 0..<Self.nx { total += q[i] * states[k * Self.nx + i] * states[k * Self.nx + i] }
            if k < horizon { total += r * inputs[k] * inputs[k] }
        }
        return total
    }

    /// 2. The Riccati recursion on the LQ model along (xs, us).
    private func backwardPass() {
        let n = Self.nx
        for i in 0..<n {
            vx[i] = 2 * q[i] * xs[horizon * n + i]
            for j in 0..<n { vxx[i + j * n] = i == j ? 2 * q[i] : 0 }
        }
        for k in stride(from: horizon - 1, through: 0, by: -1) {
            let base = k * (n * n + n)
            // va = Vxx·A, vb = Vxx·B.
            for j in 0..<n {
                for i in 0..<n { va[i + j * n] = (0..<n).reduce(0.0) { $0 + vxx[i + $1 * n] * linear[base + $1 + j * n] } }
            }
            for i in 0..<n { vb[i] = (0..<n).reduce(0.0) { $0 + vxx[i + $1 * n] * linear[base + n * n + $1] } }
            let u = us[k]
            var qu = 2 * r * u, quu = 2 * r + regularization
            for i in 0..<n {
                qx[i] = 2 * q[i] * xs[k * n + i] + (0..<n).reduce(0.0) { $0 + linear[base + $1 + i * n] * vx[$1] }
                qu += linear[base + n * n + i] * vx[i]
                quu += linear[base + n * n + i] * vb[i]
                qux[i] = (0..<n).reduce(0.0) { $0 + linear[base + n * n + $1] * va[$1 + i * n] }
                for j in 0..<n { qxx[j + i * n] = (j == i ? 2 * q[i] : 0) + (0..<n).reduce(0.0) { $0 + linear[base + $1 + j * n] * va[$1 + i * n] } }
            }
            // Quu·[k | K] = −[Qu | Qux] (LAPACK; one row here, as many as inputs in general).
            var factor = quu
            solution[0] = -qu
            for i in 0..<n { solution[1 + i] = -qux[i] }
            let info = LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), 1, Int32(1 + n), &factor, 1, &solution, 1)
            precondition(info == 0, "Quu is not positive definite (dposv info \(info))")
            var ff = solution[0]
            var clamped = false
            if u + ff > bounds.upperBound { ff = bounds.upperBound - u; clamped = true }
            if u + ff < bounds.lowerBound { ff = bounds.lowerBound - u; clamped = true }
            feedforward[k] = ff
            for i in 0..<n { gains[k * n + i] = clamped ? 0 : solution[1 + i] }
            // V = Q + Kᵀ Quu K + Kᵀ Qux + Quxᵀ K, Vx = Qx + Kᵀ Quu k + Kᵀ Qu + Quxᵀ k.
            for i in 0..<n {
                let ki = gains[k * n + i]
                vx[i] = qx[i] + ki * quu * ff + ki * qu + qux[i] * ff
                for j in 0..<n {
                    let kj = gains[k * n + j]
                    vxx[i + j * n] = qxx[i + j * n] + ki * quu * kj + ki * qux[j] + qux[i] * kj
                }
            }
            for i in 0..<n { for j in 0..<i { let s = 0.5 * (vxx[i + j * n] + vxx[j + i * n]); vxx[i + j * n] = s; vxx[j + i * n] = s } }
        }
    }
}

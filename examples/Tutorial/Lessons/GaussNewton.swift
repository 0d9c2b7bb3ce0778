import DiffGen
import Foundation

/// From the essay: Gauss–Newton approximates the Hessian of ½‖r‖² by JᵀJ, dropping Σ rᵢ∇²rᵢ.
/// Fitting y = θ₀·exp(θ₁·t) to noisy data, from the same start, Newton (exact Hessian, LAPACK
/// dsysv) and Gauss–Newton (JᵀJ, LAPACK dposv). Near the minimum both converge, Newton
/// quadratically, Gauss–Newton at a rate set by the size of the residuals; far from it the exact
/// Hessian can be indefinite and pure Newton steps go anywhere, while JᵀJ is never indefinite.
public struct LeastSquaresFit {
    public struct Run {
        public let method: String
        /// ‖∇½‖r‖²‖ after each iteration (the first entry at the start).
        public let gradientNorms: [Double]
        public let solution: [Double]
        public let loss: Double
        /// Eigenvalues of the exact Hessian where the run stopped (LAPACK dsyev): both
        /// positive at a minimum.
        public let finalCurvatures: [Double]
        public var reachedMinimum: Bool { gradientNorms.last! <= 1e-10 && finalCurvatures.allSatisfy { $0 > 0 } }
        public var iterations: Int { gradientNorms.count - 1 }
    }
    public let noise: Double
    public let start: [Double]
    public let times: [Double]
    public let data: [Double]
    public let newton: Run
    public let gaussNewton: Run

    public static let truth = [2.0, -1.3]
    /// A start near the truth and one far from it.
    public static let nearStart = [1.7, -1.0], farStart = [1.0, 0.0]

    public init(noise: Double, start: [Double], points: Int = 20, seed: UInt64 = 5) throws {
        var normal = SeededNormal(seed: seed)
        times = (0..<points).map { Double($0) / Double(points - 1) * 2 }
        data = times.map { Self.truth[0] * exp(Self.truth[1] * $0) + noise * normal.next() }
        let context = ExprContext()
        let theta = context.vector("theta", count: 2)
        let residuals = try Matrix(column: zip(times, data).map { t, y in theta[0] * exp(theta[1] * t) - y })
        let loss = 0.5 * residuals.applying(sq).sum()
        let function = try Function("least_squares", inputs: [("theta", theta)], outputs: [
            ("loss", Matrix(loss)), ("g", try gradient(of: loss, wrt: theta)),
            ("J", try jacobian(of: residuals, wrt: theta)), ("H", try DiffGen.hessian(of: loss, wrt: theta)),
        ]).compiled()
        newton = try Self.iterate("Newton", function, from: start) { out in LinearAlgebra.solveSymmetric(out[3], out[1].map { -$0 }) }
        gaussNewton = try Self.iterate("Gauss–Newton", function, from: start) { out in
            let j = out[2], m = j.count / 2
            // JᵀJ (2×2, column-major) from the column-major m×2 Jacobian.
            let jtj = (0..<2).flatMap { c in (0..<2).map { r in (0..<m).reduce(0.0) { $0 + j[$1 + r * m] * j[$1 + c * m] } } }
            return LinearAlgebra.solvePositiveDefinite(jtj, out[1].map { -$0 })
        }
        (self.noise, self.start) = (noise, start)
    }

    /// Full steps until the gradient is below 1e-10 (at most 100 iterations, or until the
    /// linear system is singular).
    static func iterate(_ method: String, _ function: NativeFunction, from start: [Double], step: ([[Double]]) -> [Double]?) throws -> Run {
        var theta = start
        var out = try function([theta])
        var norms = [norm(out[1])]
        while norms.last! > 1e-10, norms.count <= 100, let delta = step(out) {
            theta = zip(theta, delta).map(+)
            out = try function([theta])
            norms.append(norm(out[1]))
        }
        return Run(method: method, gradientNorms: norms, solution: theta, loss: out[0][0],
                   finalCurvatures: LinearAlgebra.symmetricEigen(out[3], n: 2).values)
    }

    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}

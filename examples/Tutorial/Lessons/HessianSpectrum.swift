import DiffGen

/// Demo ② and exercise 4: the Hessian of the 2-2-1 network's output y = W₂ tanh(W₁x + b₁) + b₂
/// with respect to all its parameters and its input, its spectrum, and the function along the
/// eigenvector of largest-magnitude curvature against its second-order model.
public struct HessianSpectrum {
    /// The variables in the tutorial's order (W₁ row by row, b₁, W₂, b₂, then x).
    public static let names = ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]", "W2[0,0]", "W2[0,1]", "b2", "x[0]", "x[1]"]
    /// How many of them are parameters (the rest is the input x).
    public static let parameterCount = 9

    /// The point: standard normal draws (seed 7), as the tutorial's `torch.randn`.
    public let point: [Double]
    public let output: Double
    public let gradient: [Double]
    /// The 11×11 Hessian, column-major.
    public let hessian: [Double]
    /// Eigenvalues of the whole Hessian, ascending, and their eigenvectors (columns).
    public let eigenvalues: [Double]
    public let eigenvectors: [Double]
    /// Eigenvalues of the parameters-only block (9×9), ascending.
    public let parameterEigenvalues: [Double]
    public let operationCount: Int
    /// The compiled network output, for evaluating along a direction.
    let network: NativeFunction

    public init(seed: UInt64 = 7) throws {
        var normal = SeededNormal(seed: seed)
        point = (0..<Self.names.count).map { _ in normal.next() }
        let context = ExprContext()
        let theta = context.vector("theta", count: Self.names.count)
        let y = try Self.network(theta)
        let hessian = try DiffGen.hessian(of: y, wrt: theta)
        let function = try Function("mlp_hessian", inputs: [("theta", theta)],
                                    outputs: [("y", Matrix(y)), ("g", try DiffGen.gradient(of: y, wrt: theta)), ("H", hessian)])
        let values = try function.compiled()([point])
        (output, gradient, self.hessian) = (values[0][0], values[1], values[2])
        operationCount = function.operationCount
        (eigenvalues, eigenvectors) = LinearAlgebra.symmetricEigen(values[2], n: Self.names.count)
        let p = Self.parameterCount
        let block = (0..<p).flatMap { j in (0..<p).map { i in values[2][i + j * Self.names.count] } }
        parameterEigenvalues = LinearAlgebra.symmetricEigen(block, n: p).values
        network = try Function("mlp", inputs: [("theta", theta)], outputs: [("y", Matrix(y))]).compiled()
    }

    /// y = W₂ tanh(W₁ x + b₁) + b₂ over the 11 variables.
    static func network(_ v: Matrix) throws -> Expr {
        let w1 = try Matrix(rows: [[v[0], v[1]], [v[2], v[3]]])
        let b1 = v[4..<6], w2 = try Matrix(rows: [[v[6], v[7]]]), x = v[9..<11]
        let h = try (w1 * x + b1).applying(tanh)
        return try (w2 * h)[0] + v[8]
    }

    /// Eigenvalues counted by sign; |λ| ≤ 1e-10·max|λ| counts as zero.
    public static func signCounts(_ values: [Double]) -> (negative: Int, zero: Int, positive: Int) {
        let scale = values.map(abs).max() ?? 0
        let zero = values.filter { abs($0) <= 1e-10 * scale }.count
        return (values.filter { $0 < -1e-10 * scale }.count, zero, values.filter { $0 > 1e-10 * scale }.count)
    }

    /// Exercise 4: the eigenpair of largest |λ| (the vector's largest entry made positive, so
    /// every LAPACK gives the same sign), and y(θ + t v) beside y + t gᵀv + ½ λ t² at `steps`.
    public func alongSteepestCurvature(steps: [Double]) throws -> (eigenvalue: Double, direction: [Double], actual: [Double], model: [Double]) {
        let n = Self.names.count
        let k = eigenvalues.indices.max { abs(eigenvalues[$0]) < abs(eigenvalues[$1]) }!
        var v = Array(eigenvectors[(k * n)..<((k + 1) * n)])
        if let largest = v.max(by: { abs($0) < abs($1) }), largest < 0 { v = v.map { -$0 } }
        let slope = dot(gradient, v), lambda = eigenvalues[k]
        let actual = try steps.map { t in try network([zip(point, v).map { $0 + t * $1 }])[0][0] }
        let model = steps.map { t in output + t * slope + 0.5 * lambda * t * t }
        return (lambda, v, actual, model)
    }
}

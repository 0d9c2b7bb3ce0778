// The tutorial example: every computation of the Jacobian-and-Hessian lesson and of the essay on
// Jacobian versus gradient, with DiffGen (graph → derivatives → C → libtcc) and LAPACK for the
// linear algebra. Prints each result beside an independent one and writes the figures to
// generated/tutorial/.
import DiffGen
import Foundation
import TutorialLessons

func row(_ values: [Double], _ format: String = "%9.5f") -> String { "[" + values.map { String(format: format, $0) }.joined(separator: " ") + "]" }
let output = "generated/tutorial"
try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
func write(_ svg: String, _ name: String) throws {
    try svg.write(toFile: "\(output)/\(name)", atomically: true, encoding: .utf8)
    print("  wrote \(output)/\(name)")
}
print("DiffGen tutorial — Jacobians and Hessians, reproduced")

// ① The batch Jacobian of f(x) = tanh(W x + b).
print("\n① Batch Jacobian of tanh(W x + b), W = \(BatchJacobian.weights), b = \(BatchJacobian.bias)")
let batch = try BatchJacobian()
let w = BatchJacobian.weights, b = BatchJacobian.bias
for (k, x) in BatchJacobian.inputs.enumerated() {
    // By hand: J = diag(1 − tanh²(W x + b)) · W.
    let z = (0..<2).map { i in w[i][0] * x[0] + w[i][1] * x[1] + b[i] }
    print("  input \(k) = \(x): f = \(row(batch.outputs[k]))")
    for i in 0..<2 {
        let byHand = (0..<2).map { j in (1 - pow(tanh(z[i]), 2)) * w[i][j] }
        print("    DiffGen \(row(batch.blocks[k][i]))   by hand diag(1 − tanh²(z))·W \(row(byHand))")
    }
}
print("  the whole batch's Jacobian is \(batch.pattern.rows)×\(batch.pattern.cols) with \(batch.pattern.nonzeroCount) structural nonzeros: block diagonal, one 2×2 block per input")
try write(Figures.batchSpy(batch), "batch_jacobian_spy.svg")

// ② The Hessian of the 2-2-1 network and its spectrum.
print("\n② Hessian of y = W₂ tanh(W₁ x + b₁) + b₂ over its 9 parameters and 2 inputs (standard normal draws, seed 7)")
let spectrum = try HessianSpectrum()
for (name, value) in zip(HessianSpectrum.names, spectrum.point) { print("  \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) = \(String(format: "%8.5f", value))") }
print(String(format: "  y = %.6f; the Hessian takes %d operations", spectrum.output, spectrum.operationCount))
print("  eigenvalues (LAPACK dsyev): \(row(spectrum.eigenvalues, "%.4g"))")
let counts = HessianSpectrum.signCounts(spectrum.eigenvalues)
print("  \(counts.negative) negative, \(counts.zero) zero, \(counts.positive) positive")
print("  parameters only (9×9 block): \(row(spectrum.parameterEigenvalues, "%.4g"))")
let parameterCounts = HessianSpectrum.signCounts(spectrum.parameterEigenvalues)
print("  \(parameterCounts.negative) negative, \(parameterCounts.zero) zero, \(parameterCounts.positive) positive")
print("""
  What the lesson says they mean:
    mixed signs      → a saddle: the output curves up along some directions and down along others
    zero eigenvalues → flat directions: here y is linear in W₂ and b₂, so b₂'s row and column vanish
    all positive     → locally convex (not the case here: y is linear in W₂ and b₂)
    a wide range     → ill-conditioning: steps that suit one direction overshoot or crawl in another
""")
try write(Figures.spectrum(spectrum), "hessian_spectrum.svg")

// Exercises.
print("\nExercise 1: h(x, y) = tanh(a x + b y); ∂h/∂(x, y) = (a, b)·(1 − tanh²(a x + b y))")
for r in try ChainRule().rows {
    print(String(format: "  a=%5.2f b=%5.2f at (%5.2f, %5.2f): DiffGen %@  by hand %@  central differences %.1e, complex step %.1e",
                 r.a, r.b, r.x, r.y, row(r.jacobian) as NSString, row(r.analytic) as NSString, r.finiteDifferenceError, r.complexStepError))
}

print("\nExercise 2: the Hessian of xᵀA x is A + Aᵀ, for a random non-symmetric A")
let quadratic = try QuadraticHessian()
let n = quadratic.n
let symmetrized = (0..<(n * n)).map { quadratic.a[$0] + quadratic.a[($0 % n) * n + $0 / n] }
for i in 0..<n {
    print("  A \(row((0..<n).map { quadratic.a[i + $0 * n] }))   H \(row((0..<n).map { quadratic.hessian[i + $0 * n] }))")
}
print(String(format: "  largest |H − (A + Aᵀ)| = %.1e", zip(quadratic.hessian, symmetrized).map { abs($0 - $1) }.max()!))

print("\nExercise 3: f(x, y) = x³ − 3xy² on a 41×41 grid over [−1, 1]², classified by the signs of the Hessian's eigenvalues")
let saddle = try SaddleGrid()
print("  Hessian at (0, 0): \(row(saddle.hessianAtOrigin, "%.1f")) — zero, so the second-order test says nothing there")
for kind in SaddleGrid.Kind.allCases { print("  \(kind.rawValue): \(saddle.kinds.filter { $0 == kind }.count) points") }
print("  H = [[6x, −6y], [−6y, −6x]] has eigenvalues ±6·√(x² + y²): a saddle everywhere but the origin")
try write(Figures.saddle(saddle), "saddle.svg")

print("\nExercise 4: the network along the eigenvector of the largest-magnitude eigenvalue")
let steps = (0...80).map { -2 + Double($0) / 20 }
let along = try spectrum.alongSteepestCurvature(steps: steps)
print(String(format: "  λ = %.5f; v = %@", along.eigenvalue, row(along.direction, "%.3f") as NSString))
for t in [-1.0, -0.1, 0.1, 1.0] {
    let k = steps.firstIndex { abs($0 - t) < 1e-12 }!
    print(String(format: "  t = %5.2f: y(θ + t v) = %.6f, quadratic model %.6f, difference %.1e", t, along.actual[k], along.model[k], along.actual[k] - along.model[k]))
}
try write(Figures.direction(steps: steps, actual: along.actual, model: along.model, eigenvalue: along.eigenvalue), "steepest_direction.svg")

// From the essay.
print("\nForward or reverse mode? Measured on chains where every step depends on all before it")
let modes = try ModeComparison()
for m in modes.measurements {
    print(String(format: "  %-28@ %-7@ mode: %3d sweeps, %6d operations, %8.0f ns/call (tcc)", m.shape as NSString, m.mode as NSString, m.sweeps, m.operations, m.nanosecondsPerCall))
}
print("  → reverse mode for wide functions (a gradient costs a few evaluations), forward mode for tall ones")

print("\nA Hessian-vector product without forming the Hessian (forward over reverse)")
let product = try HessianVectorProduct()
let formed = (0..<product.size).map { i in (0..<product.size).reduce(0.0) { $0 + product.hessian[i + $1 * product.size] * product.direction[$1] } }
print(String(format: "  n = %d: H·v takes %d operations, the whole Hessian %d; largest |H·v − (formed H)·v| = %.1e",
             product.size, product.hvpOperations, product.hessianOperations, zip(product.product, formed).map { abs($0 - $1) }.max()!))

print("\nGauss–Newton (JᵀJ) against Newton (the full Hessian), fitting θ₀·exp(θ₁ t) to 20 noisy points of 2·exp(−1.3 t)")
let fits = try [0.01, 0.3].map { try LeastSquaresFit(noise: $0, start: LeastSquaresFit.nearStart) }
let far = try LeastSquaresFit(noise: 0.01, start: LeastSquaresFit.farStart)
for fit in fits + [far] {
    for run in [fit.newton, fit.gaussNewton] {
        print(String(format: "  noise %.2f from (%.1f, %.1f), %@: %2d iterations, ‖g‖ = %.1e, θ = (%.8f, %.8f), ½‖r‖² = %.6f, %@",
                     fit.noise, fit.start[0], fit.start[1], run.method.padding(toLength: 12, withPad: " ", startingAt: 0) as NSString,
                     run.iterations, run.gradientNorms.last!, run.solution[0], run.solution[1], run.loss,
                     (run.reachedMinimum ? "a minimum" : "not a minimum (Hessian eigenvalues \(row(run.finalCurvatures, "%.2g")))") as NSString))
    }
}
print("""
  Near the minimum: Newton converges quadratically; Gauss–Newton needs no second derivatives and is as
  fast when the residuals are small, slower when they are large (JᵀJ leaves out Σ rᵢ∇²rᵢ).
  Far from it: the exact Hessian is indefinite and pure Newton ends where the gradient vanishes but
  nothing is fitted; JᵀJ is never indefinite, so every Gauss–Newton step goes downhill.
""")
try write(Figures.convergence(fits + [far]), "gauss_newton.svg")
print("\ntutorial OK")

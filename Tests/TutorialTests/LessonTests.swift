import DiffGen
import Foundation
import Testing
import TutorialLessons
import DiffGenTestSupport

// Every number the tutorial prints, checked against an independent computation: closed forms
// evaluated here with Foundation's libm, CasADi (SX) with NumPy's eigensolver, and finite
// differences of plain Swift twins of the functions.

private let clients = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

/// The 2-2-1 network in plain Swift, for finite differences and evaluations along a direction.
private func network(_ v: [Double]) -> Double {
    let h0 = tanh(v[0] * v[9] + v[1] * v[10] + v[4]), h1 = tanh(v[2] * v[9] + v[3] * v[10] + v[5])
    return v[6] * h0 + v[7] * h1 + v[8]
}

private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "\(a.count) against \(b.count) values")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// CasADi's and NumPy's numbers for the tutorial's two networks at the tutorial's point.
private func casadiReference(_ spectrum: HessianSpectrum) throws -> [String: Any] {
    let request: [String: Any] = ["W": BatchJacobian.weights, "b": BatchJacobian.bias, "inputs": BatchJacobian.inputs, "theta": spectrum.point]
    let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
    let run = try CToolchain.run(["python3", clients.appendingPathComponent("casadi_tutorial.py").path], input: input)
    try #require(run.succeeded, "python3 with casadi and numpy failed (make test installs them): \(run.errors)")
    return try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
}

@Test func batchJacobianIsTheClosedFormAndCasADis() throws {
    let batch = try BatchJacobian()
    let w = BatchJacobian.weights, b = BatchJacobian.bias
    for (k, x) in BatchJacobian.inputs.enumerated() {
        for i in 0..<2 {
            let z = w[i][0] * x[0] + w[i][1] * x[1] + b[i]
            #expect(abs(batch.outputs[k][i] - tanh(z)) <= 1e-15)
            for j in 0..<2 { #expect(abs(batch.blocks[k][i][j] - (1 - tanh(z) * tanh(z)) * w[i][j]) <= 1e-15) }
        }
    }
    // Block diagonal: every structural nonzero lies in its point's 2×2 block, and all 8 are there.
    let pattern = batch.pattern
    #expect(pattern.rows == 4 && pattern.cols == 4 && pattern.nonzeroCount == 8)
    for col in 0..<4 {
        for k in Int(pattern.columnStarts[col])..<Int(pattern.columnStarts[col + 1]) { #expect(Int(pattern.rowIndices[k]) / 2 == col / 2) }
    }
    let reference = try casadiReference(try HessianSpectrum())
    let casadi = try #require(reference["batch_jacobian"] as? [Double])
    var ours = [Double](repeating: 0, count: 16)
    for row in 0..<4 {
        for col in 0..<4 where row / 2 == col / 2 { ours[row + 4 * col] = batch.blocks[row / 2][row % 2][col % 2] }
    }
    #expect(maxDifference(ours, casadi) <= 1e-15)
}

@Test func hessianAndSpectrumAgreeWithCasADiNumPyAndDifferences() throws {
    let spectrum = try HessianSpectrum()
    let reference = try casadiReference(spectrum)
    #expect(abs(spectrum.output - (reference["y"] as! Double)) <= 1e-14)
    #expect(abs(spectrum.output - network(spectrum.point)) <= 1e-14)
    #expect(maxDifference(spectrum.gradient, reference["gradient"] as! [Double]) <= 1e-14)
    #expect(maxDifference(spectrum.hessian, reference["hessian"] as! [Double]) <= 1e-14)
    #expect(maxDifference(spectrum.eigenvalues, reference["eigenvalues"] as! [Double]) <= 1e-13)
    #expect(maxDifference(spectrum.parameterEigenvalues, reference["parameter_eigenvalues"] as! [Double]) <= 1e-13)
    // The counts printed, from NumPy's eigenvalues.
    let numpy = HessianSpectrum.signCounts(reference["eigenvalues"] as! [Double])
    let ours = HessianSpectrum.signCounts(spectrum.eigenvalues)
    #expect(ours.negative == numpy.negative && ours.zero == numpy.zero && ours.positive == numpy.positive)
    // Second central differences of the plain Swift network.
    let differences = secondDifferenceHessian(network, at: spectrum.point)
    for (k, (a, b)) in zip(differences, spectrum.hessian).enumerated() { #expect(abs(a - b) <= 1e-6, "H[\(k % 11),\(k / 11)]") }
}

@Test func steepestDirectionIsAnEigenvectorAndTheModelIsSecondOrder() throws {
    let spectrum = try HessianSpectrum()
    let steps = [-0.1, -0.05, 0.05, 0.1, 1.0]
    let along = try spectrum.alongSteepestCurvature(steps: steps)
    let v = along.direction, n = 11
    #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) <= 1e-14)
    // Largest |λ| among NumPy's eigenvalues, and H v = λ v with CasADi's Hessian.
    let reference = try casadiReference(spectrum)
    let numpy = reference["eigenvalues"] as! [Double], h = reference["hessian"] as! [Double]
    #expect(abs(along.eigenvalue - numpy.max { abs($0) < abs($1) }!) <= 1e-13)
    let hv = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + h[i + $1 * n] * v[$1] } }
    #expect(maxDifference(hv, v.map { along.eigenvalue * $0 }) <= 1e-13)
    for (k, t) in steps.enumerated() {
        #expect(abs(along.actual[k] - network(zip(spectrum.point, v).map { $0 + t * $1 })) <= 1e-14)
        let slope = zip(spectrum.gradient, v).reduce(0.0) { $0 + $1.0 * $1.1 }
        #expect(abs(along.model[k] - (spectrum.output + t * slope + 0.5 * along.eigenvalue * t * t)) <= 1e-14)
    }
    // The model's error is third order: halving t divides it by about 8.
    for (small, large) in [(1, 0), (2, 3)] {
        let ratio = (along.actual[small] - along.model[small]) / (along.actual[large] - along.model[large])
        #expect(ratio > 0.1 && ratio < 0.16, "error ratio \(ratio) for t halved")
    }
}

@Test func chainRuleExerciseAgainstTheAnalyticJacobian() throws {
    for row in try ChainRule().rows {
        let s = 1 / pow(cosh(row.a * row.x + row.b * row.y), 2)  // sech², a different formula from 1 − tanh²
        #expect(abs(row.jacobian[0] - row.a * s) <= 1e-14 * max(1, abs(row.a)) && abs(row.jacobian[1] - row.b * s) <= 1e-14 * max(1, abs(row.b)))
        #expect(row.finiteDifferenceError < 1e-8 && row.complexStepError < 1e-14, "\(row)")
    }
}

@Test func quadraticHessianIsASymmetrizedA() throws {
    let q = try QuadraticHessian()
    let n = q.n
    #expect((0..<n).contains { i in (0..<n).contains { j in q.a[i + j * n] != q.a[j + i * n] } }, "A must not be symmetric")
    for i in 0..<n {
        for j in 0..<n { #expect(abs(q.hessian[i + j * n] - (q.a[i + j * n] + q.a[j + i * n])) <= 2e-16 * 4) }
    }
}

@Test func saddleGridIsClassifiedAsTheClosedFormSays() throws {
    let grid = try SaddleGrid()
    let c = grid.coordinates, n = c.count
    for j in 0..<n {
        for i in 0..<n {
            let (x, y) = (c[i], c[j]), k = i + j * n
            #expect(abs(grid.values[k] - (x * x * x - 3 * x * y * y)) <= 1e-15)
            let r = 6 * (x * x + y * y).squareRoot()
            #expect(maxDifference(grid.eigenvalues[k], [-r, r]) <= 1e-13, "(\(x), \(y))")
            #expect(grid.kinds[k] == (r == 0 ? .flat : .saddle), "(\(x), \(y))")
        }
    }
    #expect(grid.hessianAtOrigin.allSatisfy { $0 == 0 })
    #expect(grid.kinds.filter { $0 == .flat }.count == 1 && grid.kinds.filter { $0 == .saddle }.count == n * n - 1)
}

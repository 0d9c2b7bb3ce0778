import DiffGen
import Foundation
import Testing
import TutorialLessons

// The essay's computations: forward against reverse mode, the Hessian-vector product, and
// Gauss–Newton against Newton, checked against finite differences of plain Swift twins.

private func wide(_ x: [Double]) -> Double { x.reduce(0.0) { s, xk in sin(s) + xk * cos(s) } }
private func tall(_ t: Double, _ m: Int) -> [Double] {
    var y = t
    return (0..<m).map { _ in y = sin(y) + t * cos(y); return y }
}

@Test func forwardAndReverseModeGiveTheSameJacobianAndTheRuleHolds() throws {
    let modes = try ModeComparison(size: 24, timingCalls: 10)
    let n = modes.size, x = modes.point, h = 1e-6
    let byMode = Dictionary(uniqueKeysWithValues: modes.measurements.map { ("\($0.shape.hasPrefix("wide") ? "wide" : "tall") \($0.mode)", $0) })
    let wideDifferences = (0..<n).map { k in
        var (plus, minus) = (x, x)
        plus[k] += h
        minus[k] -= h
        return (wide(plus) - wide(minus)) / (2 * h)
    }
    let tallDifferences = zip(tall(x[0] + h, n), tall(x[0] - h, n)).map { ($0 - $1) / (2 * h) }
    for (key, reference) in [("wide forward", wideDifferences), ("wide reverse", wideDifferences),
                             ("tall forward", tallDifferences), ("tall reverse", tallDifferences)] {
        let jacobian = try #require(byMode[key]).jacobian
        #expect(jacobian.count == n)
        for (a, b) in zip(jacobian, reference) { #expect(abs(a - b) <= 1e-7 * max(1, abs(b)), "\(key)") }
    }
    // The rule, measured in operations: the mode with one sweep is several times cheaper.
    #expect(byMode["wide forward"]!.operations > 4 * byMode["wide reverse"]!.operations)
    #expect(byMode["tall reverse"]!.operations > 4 * byMode["tall forward"]!.operations)
    #expect(modes.measurements.allSatisfy { $0.nanosecondsPerCall > 0 })
}

@Test func hessianVectorProductEqualsTheFormedHessianTimesTheVector() throws {
    let product = try HessianVectorProduct(size: 16)
    let n = product.size
    // Second central differences of the plain Swift function for the formed Hessian.
    let differences = secondDifferenceHessian(wide, at: product.point)
    for (k, (a, b)) in zip(differences, product.hessian).enumerated() { #expect(abs(a - b) <= 1e-6, "H[\(k % n),\(k / n)]") }
    for i in 0..<n {
        let formed = (0..<n).reduce(0.0) { $0 + product.hessian[i + $1 * n] * product.direction[$1] }
        #expect(abs(product.product[i] - formed) <= 1e-13)
    }
    #expect(product.hvpOperations * 4 < product.hessianOperations)
}

@Test func newtonAndGaussNewtonFindTheLeastSquaresMinimum() throws {
    for noise in [0.01, 0.3] {
        let fit = try LeastSquaresFit(noise: noise, start: LeastSquaresFit.nearStart)
        #expect(fit.newton.reachedMinimum && fit.gaussNewton.reachedMinimum)
        #expect(abs(fit.newton.solution[0] - fit.gaussNewton.solution[0]) <= 1e-9 && abs(fit.newton.solution[1] - fit.gaussNewton.solution[1]) <= 1e-9)
        // The gradient of the plain Swift loss vanishes there (central differences).
        func loss(_ a: Double, _ b: Double) -> Double { zip(fit.times, fit.data).reduce(0.0) { $0 + 0.5 * pow(a * exp(b * $1.0) - $1.1, 2) } }
        let (a, b, h) = (fit.newton.solution[0], fit.newton.solution[1], 1e-6)
        #expect(abs((loss(a + h, b) - loss(a - h, b)) / (2 * h)) < 1e-7 && abs((loss(a, b + h) - loss(a, b - h)) / (2 * h)) < 1e-7)
        #expect(abs(fit.newton.loss - loss(a, b)) <= 1e-12)
    }
    // From the far start, pure Newton stops where nothing is fitted; Gauss–Newton still finds the minimum.
    let far = try LeastSquaresFit(noise: 0.01, start: LeastSquaresFit.farStart)
    let near = try LeastSquaresFit(noise: 0.01, start: LeastSquaresFit.nearStart)
    #expect(!far.newton.reachedMinimum && far.newton.loss > 100 * near.newton.loss)
    #expect(far.gaussNewton.reachedMinimum && abs(far.gaussNewton.solution[1] - near.newton.solution[1]) <= 1e-9)
}

/// The Hessian of `f` at `point` by second central differences with step `h`, column-major:
/// Hᵢⱼ ≈ [f(x+hᵢ+hⱼ) − f(x+hᵢ−hⱼ) − f(x−hᵢ+hⱼ) + f(x−hᵢ−hⱼ)] / 4h².
func secondDifferenceHessian(_ f: ([Double]) -> Double, at point: [Double], step h: Double = 1e-4) -> [Double] {
    let n = point.count
    var hessian = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            func value(_ si: Double, _ sj: Double) -> Double {
                var v = point
                v[i] += si * h
                v[j] += sj * h
                return f(v)
            }
            hessian[i + j * n] = (value(1, 1) - value(1, -1) - value(-1, 1) + value(-1, -1)) / (4 * h * h)
        }
    }
    return hessian
}

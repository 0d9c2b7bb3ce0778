import DiffGen
import Foundation

/// The tutorial's pictures, drawn from the lessons' results.
public enum Figures {
    /// The batch Jacobian's structure: one square per structural nonzero, colored by the batch
    /// point whose block it belongs to.
    public static func batchSpy(_ result: BatchJacobian) -> String {
        let n = Double(result.pattern.cols)
        var plot = SVGPlot(title: "Batch Jacobian ∂Y/∂X: \(result.pattern.nonzeroCount) nonzeros of \(result.pattern.rows * result.pattern.cols)",
                           width: 420, height: 420, x: 0...n, y: 0...n, xLabel: "input entry (x₁, then x₂)",
                           yLabel: "output entry (f(x₁), then f(x₂))", yDown: true)
        let colors = ["#2471a3", "#c0392b", "#229954", "#7d3c98"]
        let pattern = result.pattern
        for col in 0..<pattern.cols {
            for k in Int(pattern.columnStarts[col])..<Int(pattern.columnStarts[col + 1]) {
                let row = Double(pattern.rowIndices[k])
                plot.cell(x0: Double(col) + 0.05, y0: row + 0.05, x1: Double(col) + 0.95, y1: row + 0.95, color: colors[col / 2 % colors.count])
            }
        }
        return plot.text
    }

    /// Stem plot of the Hessian's eigenvalues: negative red, zero gray, positive blue.
    public static func spectrum(_ result: HessianSpectrum) -> String {
        let values = result.eigenvalues
        let scale = values.map(abs).max()! * 1.15
        var plot = SVGPlot(title: "Hessian eigenvalues of the 2-2-1 network (all 11 variables)", x: -0.5...Double(values.count) - 0.5,
                           y: -scale...scale, xLabel: "direction (eigenvalue index, ascending)", yLabel: "curvature λ")
        plot.baseline(0)
        let counts = HessianSpectrum.signCounts(values)
        for (k, lambda) in values.enumerated() {
            let zero = abs(lambda) <= 1e-10 * (scale / 1.15)
            plot.stem(x: Double(k), y: zero ? 0 : lambda, color: zero ? "#888" : lambda < 0 ? "#c0392b" : "#2471a3")
        }
        plot.legend("\(counts.negative) negative (concave)", color: "#c0392b", row: 0)
        plot.legend("\(counts.zero) zero (flat)", color: "#888", row: 1)
        plot.legend("\(counts.positive) positive (convex)", color: "#2471a3", row: 2)
        return plot.text
    }

    /// The monkey saddle as a heat map: hue by the kind of point (the signs of the Hessian's
    /// eigenvalues), lightness by f.
    public static func saddle(_ grid: SaddleGrid) -> String {
        let c = grid.coordinates, n = c.count, half = (c[1] - c[0]) / 2
        var plot = SVGPlot(title: "f(x, y) = x³ − 3xy²: lightness f, hue the Hessian's eigenvalue signs", width: 520, height: 540,
                           x: (c[0] - half)...(c[n - 1] + half), y: (c[0] - half)...(c[n - 1] + half), xLabel: "x", yLabel: "y")
        let (low, high) = (grid.values.min()!, grid.values.max()!)
        let hues: [SaddleGrid.Kind: Int] = [.minimum: 210, .maximum: 0, .saddle: 280, .flat: 60]
        for j in 0..<n {
            for i in 0..<n {
                let k = i + j * n
                let lightness = 25 + 55 * (grid.values[k] - low) / (high - low)
                let color = grid.kinds[k] == .flat ? "#000" : "hsl(\(hues[grid.kinds[k]]!),65%,\(String(format: "%.1f", lightness))%)"
                plot.cell(x0: c[i] - half, y0: c[j] - half, x1: c[i] + half, y1: c[j] + half, color: color)
            }
        }
        for (row, kind) in SaddleGrid.Kind.allCases.enumerated() {
            let count = grid.kinds.filter { $0 == kind }.count
            plot.legend("\(kind.rawValue): \(count) points", color: kind == .flat ? "#000" : "hsl(\(hues[kind]!),65%,50%)", row: row)
        }
        return plot.text
    }

    /// y along the steepest-curvature eigenvector against its second-order model.
    public static func direction(steps: [Double], actual: [Double], model: [Double], eigenvalue: Double) -> String {
        let all = actual + model
        let (low, high) = (all.min()!, all.max()!), pad = (high - low) * 0.08
        var plot = SVGPlot(title: String(format: "Along the eigenvector of λ = %.4f: y(θ + t·v) and its quadratic model", eigenvalue),
                           x: steps.first!...steps.last!, y: (low - pad)...(high + pad), xLabel: "t", yLabel: "network output y")
        plot.line(Array(zip(steps, actual)), color: "#2471a3")
        plot.line(Array(zip(steps, model)), color: "#c0392b", dashed: true)
        plot.legend("y(θ + t·v)", color: "#2471a3", row: 0)
        plot.legend("y + t·gᵀv + ½λt²", color: "#c0392b", row: 1)
        return plot.text
    }

    /// log₁₀ of the gradient norm per iteration for each fit and method.
    public static func convergence(_ fits: [LeastSquaresFit]) -> String {
        let runs = fits.flatMap { fit in [(fit, fit.newton), (fit, fit.gaussNewton)] }
        // Below 1e-12 the norms are rounding noise (and differ between libms): drawn at the floor.
        let logs = runs.map { $0.1.gradientNorms.map { max(log10($0), -12) } }
        let longest = logs.map(\.count).max()! - 1
        var plot = SVGPlot(title: "Fitting θ₀·exp(θ₁t): Newton (solid) against Gauss–Newton (dashed)", width: 800, x: 0...Double(max(longest, 1)),
                           y: -12...max(2, logs.flatMap { $0 }.max()!.rounded(.up)), xLabel: "iteration", yLabel: "log₁₀ ‖gradient‖")
        plot.legendWidth = 300
        let colors = ["#2471a3", "#5dade2", "#c0392b", "#f1948a", "#1e8449", "#82e0aa"]
        for (k, (fit, run)) in runs.enumerated() {
            plot.line(logs[k].enumerated().map { (Double($0.offset), $0.element) }, color: colors[k % colors.count], dashed: run.method != "Newton")
            plot.legend("\(run.method), noise \(fit.noise), from (\(fit.start[0]), \(fit.start[1]))", color: colors[k % colors.count], row: k)
        }
        return plot.text
    }
}

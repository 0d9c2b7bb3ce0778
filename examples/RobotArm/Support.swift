import CLAPACK
import DiffGen
import Foundation
import ReferenceProblems

/// The URDF chain against the modified-DH chain of the benchmarks.
enum DHComparison {
    static func worstDifference(_ chain: RobotChain) throws -> Double {
        // The benchmarks' chain: f = [p; R row by row].
        let panda = try ReferenceProblems.pandaFK(ExprContext())
        let q = try panda.input(0), f = try panda.output(0)
        let rotation = try Matrix(rows: (0..<3).map { i in (0..<3).map { j in f[3 + 3 * i + j] } })
        let dh = Interpreter(try Function("dh", inputs: [("q", q)], outputs: [("p", f[0..<3, 0..<1]), ("R", rotation)]))
        let urdf = Interpreter(try chain.function(named: "urdf"))
        var generator = SplitMix(seed: 1)
        var worst = 0.0
        for _ in 0..<100 {
            let point = (0..<7).map { _ in generator.uniform(-2.8, 2.8) }
            let (a, b) = (try urdf.evaluate([point]), try dh.evaluate([point]))
            for (x, y) in zip(a[0] + a[1], b[0] + b[1]) { worst = max(worst, abs(x - y)) }
        }
        return worst
    }
}

/// Singular values by LAPACK's dgesvd, largest first.
enum SingularValues {
    static func of(_ columnMajor: [Double], rows: Int, cols: Int) -> [Double] {
        var a = columnMajor
        var s = [Double](repeating: 0, count: min(rows, cols))
        var superb = [Double](repeating: 0, count: max(1, min(rows, cols) - 1))
        var u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)
        let info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")), Int32(rows), Int32(cols),
                                  &a, Int32(rows), &s, &u, 1, &vt, 1, &superb)
        precondition(info == 0, "dgesvd info \(info)")
        return s
    }
}

/// An SVG of the target circle and the achieved path (top view), and the Jacobian's smallest
/// singular value along the path. Deterministic: the same numbers give the same bytes.
enum PathFigure {
    static func svg(targets: [[Double]], achieved: [[Double]], smallest: [Double]) -> String {
        let xs = (targets + achieved).map { $0[0] }, ys = (targets + achieved).map { $0[1] }
        let (x0, x1, y0, y1) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        let span = max(x1 - x0, y1 - y0) * 1.1
        func px(_ x: Double) -> String { String(format: "%.2f", 20 + (x - (x0 + x1) / 2 + span / 2) / span * 360) }
        func py(_ y: Double) -> String { String(format: "%.2f", 380 - (y - (y0 + y1) / 2 + span / 2) / span * 360) }
        func polyline(_ points: [[Double]], _ color: String, _ dash: String) -> String {
            "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"" + points.map { "\(px($0[0])),\(py($0[1]))" }.joined(separator: " ") + "\"/>"
        }
        let sMax = smallest.max()! * 1.1
        let bars = smallest.enumerated().map { k, s in
            String(format: "%.2f,%.2f", 440 + Double(k) / Double(smallest.count - 1) * 340, 380 - s / sMax * 340)
        }.joined(separator: " ")
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="800" height="420" viewBox="0 0 800 420" font-family="sans-serif" font-size="12">
        <rect width="800" height="420" fill="white"/>
        <text x="20" y="14">Tip path, top view: target (dashed) and achieved</text>
        <rect x="20" y="20" width="360" height="360" fill="none" stroke="#999"/>
        \(polyline(targets, "#888", " stroke-dasharray=\"6 4\""))
        \(polyline(achieved, "#c0392b", ""))
        <text x="440" y="14">Smallest singular value of J along the lap (max \(String(format: "%.3f", smallest.max()!)))</text>
        <rect x="440" y="40" width="340" height="340" fill="none" stroke="#999"/>
        <polyline fill="none" stroke="#2471a3" stroke-width="2" points="\(bars)"/>
        </svg>

        """
    }
}

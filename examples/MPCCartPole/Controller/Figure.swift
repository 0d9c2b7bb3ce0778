import Foundation

/// An SVG of the closed loop: cart position, pole angle and the input (with its bounds) against
/// time, DiffGen's run solid and the run on CasADi's derivatives dashed. Fixed-precision
/// coordinates: the same numbers give the same bytes.
public enum LoopFigure {
    public static func svg(_ loop: ClosedLoop, twin: ClosedLoop, dt: Double) -> String {
        // Symmetric ranges a little wider than the data, rounded to tenths.
        func range(_ values: [Double]) -> ClosedRange<Double> {
            let top = ((values.map(abs).max() ?? 1) * 1.15 * 10).rounded(.up) / 10
            return -top...top
        }
        let panels: [(String, [Double], [Double], ClosedRange<Double>)] = [
            ("cart position p [m]", loop.states.map { $0[0] }, twin.states.map { $0[0] }, range(loop.states.map { $0[0] })),
            ("pole angle θ [rad]", loop.states.map { $0[1] }, twin.states.map { $0[1] }, range(loop.states.map { $0[1] })),
            ("force F [N] (bounds ±5)", loop.inputs, twin.inputs, range(loop.inputs + [ClosedLoop.bounds.upperBound])),
        ]
        let width = 720.0, panelHeight = 150.0
        var body = "<rect width=\"\(width)\" height=\"\(Double(panels.count) * panelHeight + 40)\" fill=\"white\"/>\n"
        body += "<text x=\"20\" y=\"20\" font-size=\"14\">mpc-cartpole: real-time iLQR, N = 20, from θ = 0.4 rad (DiffGen solid, CasADi's derivatives dashed)</text>\n"
        for (index, panel) in panels.enumerated() {
            let top = 40 + Double(index) * panelHeight, (left, right) = (70.0, width - 20)
            let (low, high) = (panel.3.lowerBound, panel.3.upperBound)
            func px(_ k: Int, _ count: Int) -> String { String(format: "%.2f", left + Double(k) / Double(max(count - 1, 1)) * (right - left)) }
            func py(_ v: Double) -> String { String(format: "%.2f", top + 10 + (high - min(max(v, low), high)) / (high - low) * (panelHeight - 40)) }
            body += "<rect x=\"\(left)\" y=\"\(top + 10)\" width=\"\(right - left)\" height=\"\(panelHeight - 40)\" fill=\"none\" stroke=\"#999\"/>\n"
            body += "<text x=\"\(left)\" y=\"\(top + 5)\">\(panel.0)</text>\n"
            body += "<text x=\"\(left - 6)\" y=\"\(py(high))\" text-anchor=\"end\">\(String(format: "%.1f", high))</text><text x=\"\(left - 6)\" y=\"\(py(low))\" text-anchor=\"end\">\(String(format: "%.1f", low))</text>\n"
            body += "<line x1=\"\(left)\" y1=\"\(py(0))\" x2=\"\(right)\" y2=\"\(py(0))\" stroke=\"#ddd\"/>\n"
            if index == 2 {
                for bound in [ClosedLoop.bounds.lowerBound, ClosedLoop.bounds.upperBound] { body += "<line x1=\"\(left)\" y1=\"\(py(bound))\" x2=\"\(right)\" y2=\"\(py(bound))\" stroke=\"#e67e22\" stroke-dasharray=\"2 3\"/>\n" }
            }
            for (values, style) in [(panel.1, "stroke=\"#2471a3\" stroke-width=\"2\""), (panel.2, "stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"")] {
                let points = values.indices.map { "\(px($0, values.count)),\(py(values[$0]))" }.joined(separator: " ")
                body += "<polyline class=\"mark\" fill=\"none\" \(style) points=\"\(points)\"/>\n"
            }
        }
        let seconds = Double(loop.inputs.count) * dt
        body += "<text x=\"\(width / 2)\" y=\"\(Double(panels.count) * panelHeight + 30)\" text-anchor=\"middle\">time: 0 to \(String(format: "%.1f", seconds)) s</text>\n"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(Double(panels.count) * panelHeight + 40)\" font-family=\"sans-serif\" font-size=\"12\" data-marks=\"\(2 * panels.count)\">\n" + body + "</svg>\n"
    }
}

import Foundation

/// A small deterministic SVG writer for the tutorial's figures: fixed-precision coordinates (the
/// same numbers give the same bytes), one plot area with linear axes, and every data mark in
/// class `mark` with their count on the root (`data-marks`), so a browser test can check that
/// each one was laid out.
public struct SVGPlot {
    public let width: Double, height: Double
    let area: (left: Double, top: Double, right: Double, bottom: Double)
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    /// y grows downwards (matrix rows) instead of upwards.
    let yDown: Bool
    private var body: [String] = []
    private var marks = 0

    public init(title: String, width: Double = 640, height: Double = 400, x: ClosedRange<Double>, y: ClosedRange<Double>,
                xLabel: String, yLabel: String, yDown: Bool = false) {
        (self.width, self.height, xRange, yRange, self.yDown) = (width, height, x, y, yDown)
        area = (70, 40, width - 20, height - 50)
        body.append("<rect width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" fill=\"white\"/>")
        body.append("<text x=\"\(Self.f(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(Self.escape(title))</text>")
        body.append("<rect x=\"\(Self.f(area.left))\" y=\"\(Self.f(area.top))\" width=\"\(Self.f(area.right - area.left))\" height=\"\(Self.f(area.bottom - area.top))\" fill=\"none\" stroke=\"#999\"/>")
        for k in 0...4 {
            let xv = x.lowerBound + (x.upperBound - x.lowerBound) * Double(k) / 4
            let yv = y.lowerBound + (y.upperBound - y.lowerBound) * Double(k) / 4
            body.append("<text x=\"\(Self.f(px(xv)))\" y=\"\(Self.f(area.bottom + 16))\" text-anchor=\"middle\">\(Self.label(xv))</text>")
            body.append("<text x=\"\(Self.f(area.left - 6))\" y=\"\(Self.f(py(yv) + 4))\" text-anchor=\"end\">\(Self.label(yv))</text>")
        }
        body.append("<text x=\"\(Self.f((area.left + area.right) / 2))\" y=\"\(Self.f(height - 12))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>")
        body.append("<text transform=\"translate(16 \(Self.f((area.top + area.bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>")
    }

    public func px(_ x: Double) -> Double { area.left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (area.right - area.left) }
    public func py(_ y: Double) -> Double {
        let fraction = (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
        return yDown ? area.top + fraction * (area.bottom - area.top) : area.bottom - fraction * (area.bottom - area.top)
    }

    /// A horizontal reference line at y (not a data mark).
    public mutating func baseline(_ y: Double) {
        body.append("<line x1=\"\(Self.f(area.left))\" y1=\"\(Self.f(py(y)))\" x2=\"\(Self.f(area.right))\" y2=\"\(Self.f(py(y)))\" stroke=\"#bbb\"/>")
    }

    public mutating func line(_ points: [(Double, Double)], color: String, dashed: Bool = false) {
        let coordinates = points.map { "\(Self.f(px($0.0))),\(Self.f(py($0.1)))" }.joined(separator: " ")
        body.append("<polyline class=\"mark\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6 4\"" : "") points=\"\(coordinates)\"/>")
        marks += 1
    }

    /// A stem from `base` to (x, y) with a dot at its end (only the dot when y is the base).
    public mutating func stem(x: Double, y: Double, base: Double = 0, color: String) {
        if y != base {
            body.append("<line class=\"mark\" x1=\"\(Self.f(px(x)))\" y1=\"\(Self.f(py(base)))\" x2=\"\(Self.f(px(x)))\" y2=\"\(Self.f(py(y)))\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            marks += 1
        }
        body.append("<circle class=\"mark\" cx=\"\(Self.f(px(x)))\" cy=\"\(Self.f(py(y)))\" r=\"4\" fill=\"\(color)\"/>")
        marks += 1
    }

    /// A filled cell covering [x0, x1] × [y0, y1] in data coordinates.
    public mutating func cell(x0: Double, y0: Double, x1: Double, y1: Double, color: String) {
        let (left, right) = (min(px(x0), px(x1)), max(px(x0), px(x1))), (top, bottom) = (min(py(y0), py(y1)), max(py(y0), py(y1)))
        body.append("<rect class=\"mark\" x=\"\(Self.f(left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(right - left))\" height=\"\(Self.f(bottom - top))\" fill=\"\(color)\"/>")
        marks += 1
    }

    /// Room the legend takes at the right of the plot area.
    public var legendWidth = 200.0

    /// A legend entry at the top right of the plot area, `row` lines down.
    public mutating func legend(_ text: String, color: String, row: Int) {
        let y = area.top + 16 + Double(row) * 16
        body.append("<rect x=\"\(Self.f(area.right - legendWidth))\" y=\"\(Self.f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>")
        body.append("<text x=\"\(Self.f(area.right - legendWidth + 16))\" y=\"\(Self.f(y))\">\(Self.escape(text))</text>")
    }

    public var text: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" "
            + "font-family=\"sans-serif\" font-size=\"12\" data-marks=\"\(marks)\">\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }

    static func f(_ value: Double) -> String { String(format: "%.2f", value) }
    static func label(_ value: Double) -> String { String(format: "%.3g", abs(value) < 1e-12 ? 0 : value) }
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

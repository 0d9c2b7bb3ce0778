import DiffGen

/// Demo ① of the tutorial: the Jacobian of f(x) = tanh(W x + b) at a batch of inputs.
public struct BatchJacobian {
    /// The tutorial's weights, bias and inputs.
    public static let weights = [[1.0, -0.7], [0.4, 0.9]]
    public static let bias = [0.5, -0.3]
    public static let inputs = [[1.2, -0.8], [0.3, 2.0]]

    /// f(xₖ) for each input.
    public let outputs: [[Double]]
    /// ∂f(xₖ)/∂xₖ for each input, as rows: `blocks[k][i][j]` = ∂fᵢ(xₖ)/∂xₖⱼ.
    public let blocks: [[[Double]]]
    /// The structure of the Jacobian of the whole batch (all outputs by all inputs): block
    /// diagonal, because no output depends on another point's input.
    public let pattern: Pattern
    /// Operations in the generated function (outputs and Jacobian).
    public let operationCount: Int

    /// Builds the batch as one matrix X (one column per point), differentiates, compiles with
    /// libtcc and evaluates.
    public init(points: [[Double]] = BatchJacobian.inputs) throws {
        let context = ExprContext()
        let batch = context.matrix("X", rows: 2, cols: points.count)
        let w = try Matrix(context, constants: Self.weights)
        let shift = try Matrix(context, constants: Self.bias.map { Array(repeating: $0, count: points.count) })
        let y = try (w * batch + shift).applying(tanh)
        let jacobian = try sparseJacobian(of: y, wrt: batch)
        let function = try Function("batch_jacobian", inputs: [("X", batch)], outputs: [("Y", y), ("J", jacobian)])
        let values = try function.compiled()([points.flatMap { $0 }])
        let n = 2 * points.count
        let dense = function.outputs[1].dense(values[1])
        outputs = (0..<points.count).map { k in [values[0][2 * k], values[0][2 * k + 1]] }
        // Entry (row, col) of the column-major batch Jacobian is dense[row + col·n].
        blocks = (0..<points.count).map { k in (0..<2).map { i in (0..<2).map { j in dense[(2 * k + i) + (2 * k + j) * n] } } }
        pattern = jacobian.pattern
        operationCount = function.operationCount
    }
}

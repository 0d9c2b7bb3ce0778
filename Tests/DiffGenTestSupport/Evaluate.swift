import DiffGenCore

/// Evaluates matrices of expressions numerically, with the given symbols set to the given
/// values; returns each matrix's entries column-major.
public func evaluate(_ outputs: [Matrix], at bindings: [(Matrix, [Double])]) throws -> [[Double]] {
    let inputs = bindings.enumerated().map { ("in\($0.offset)", $0.element.0) }
    let function = try Function("eval", inputs: inputs, outputs: outputs.enumerated().map { ("out\($0.offset)", $0.element) })
    return try Interpreter(function).evaluate(bindings.map(\.1))
}

/// Evaluates one matrix.
public func evaluate(_ output: Matrix, at bindings: [(Matrix, [Double])]) throws -> [Double] {
    try evaluate([output], at: bindings)[0]
}

/// Two operands whose shapes do not fit the operation.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// The operation, e.g. "matrix product".
    public let operation: String
    /// What did not fit, naming both shapes.
    public let detail: String

    public init(_ operation: String, _ detail: String) {
        self.operation = operation
        self.detail = detail
    }

    public var description: String { "shape mismatch in \(operation): \(detail)" }

    static func shape(_ rows: Int, _ cols: Int) -> String { "\(rows)×\(cols)" }
}

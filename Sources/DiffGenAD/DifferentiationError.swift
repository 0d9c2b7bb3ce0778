import DiffGenCore

/// Why a derivative could not be formed.
public enum DifferentiationError: Error, CustomStringConvertible, Equatable {
    /// Entry `index` of the variables is not a symbol.
    case variableNotSymbol(index: Int)
    /// A symbol appears twice among the variables.
    case repeatedVariable(String)
    /// A seed, direction or multiplier has the wrong number of entries.
    case wrongLength(what: String, expected: Int, got: Int)
    /// The function is not a scalar where one is needed.
    case notScalar(rows: Int, cols: Int)
    /// The operands were built in different `ExprContext`s.
    case mixedContexts

    public var description: String {
        switch self {
        case .variableNotSymbol(let index):
            return "entry \(index) of the variables is not a symbol; differentiate with respect to symbols"
        case .repeatedVariable(let name):
            return "symbol '\(name)' appears more than once among the variables"
        case .wrongLength(let what, let expected, let got):
            return "\(what) needs \(expected) entries, got \(got)"
        case .notScalar(let rows, let cols):
            return "needs a scalar function, got a \(rows)×\(cols) matrix"
        case .mixedContexts:
            return "the function and the variables belong to different ExprContexts"
        }
    }
}

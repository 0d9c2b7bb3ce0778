/// Why a `Function` could not be made or called.
public enum FunctionError: Error, CustomStringConvertible, Equatable {
    case emptyName
    case invalidName(String, reason: String, function: String)
    case noOutputs(function: String)
    case duplicateName(String, function: String)
    case inputNotSymbol(input: String, index: Int, function: String)
    case repeatedSymbol(String, input: String, function: String)
    case freeSymbol(String, output: String, function: String)
    case mixedContexts(port: String, function: String)
    case wrongInputCount(expected: Int, got: Int, function: String)
    case wrongInputSize(input: String, expected: Int, got: Int, function: String)
    case noSuchPort(index: Int, count: Int, kind: String, function: String)

    public var description: String {
        switch self {
        case .emptyName:
            return "a function needs a non-empty name"
        case .invalidName(let name, let reason, let f):
            return "function '\(f)': '\(name)' cannot name a function, input or output: \(reason)"
        case .noOutputs(let f):
            return "function '\(f)' has no outputs"
        case .duplicateName(let name, let f):
            return "function '\(f)': the name '\(name)' is used by more than one input or output"
        case .inputNotSymbol(let input, let index, let f):
            return "function '\(f)': entry \(index) of input '\(input)' is not a symbol (inputs must be fresh symbols)"
        case .repeatedSymbol(let symbol, let input, let f):
            return "function '\(f)': symbol '\(symbol)' appears more than once among the inputs (again in '\(input)')"
        case .freeSymbol(let symbol, let output, let f):
            return "function '\(f)': output '\(output)' depends on symbol '\(symbol)', which is not an input"
        case .mixedContexts(let port, let f):
            return "function '\(f)': '\(port)' was built in another ExprContext"
        case .wrongInputCount(let expected, let got, let f):
            return "function '\(f)' takes \(expected) inputs, got \(got)"
        case .wrongInputSize(let input, let expected, let got, let f):
            return "function '\(f)': input '\(input)' needs \(expected) values, got \(got)"
        case .noSuchPort(let index, let count, let kind, let f):
            return "function '\(f)' has \(count) \(kind)s: no \(kind) \(index)"
        }
    }
}

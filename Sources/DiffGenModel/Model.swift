import DiffGenCore
import DiffGenRepeat
import Foundation

/// A model file read into functions over one expression graph.
///
/// Top-level definitions (`param`, `input`, `let`, `output`, `def`) may appear in any order; they
/// are evaluated in dependency order, and a cycle among them is an error. Without `function`
/// statements the model makes one function, named after the file, from all inputs to all
/// outputs, in the order they are declared.
public struct Model {
    public let context: ExprContext
    public let functions: [Function]
    /// Every parameter with the value used (its default, or the override).
    public let parameters: [(name: String, value: Double)]
    /// Every input, in declaration order.
    public let inputs: [(name: String, value: Matrix)]
    /// The outputs written as a derivative (`output J = jacobian(f, x)`), for checking.
    public let derivatives: [DerivativeOutput]
    /// The `loop` statements' maps, folds and their derivatives, in order (generated as C loops).
    public let loops: [any LoopedFunction]
    /// The loops written as derivatives of other loops, for checking.
    public let loopDerivatives: [LoopDerivative]

    /// Reads the model file at `path`.
    /// - Throws: `Diagnostic` for a problem in the text, `ModelError` for an unreadable file or an
    ///   override of a parameter the model does not have.
    public init(contentsOf path: String, overrides: [String: Double] = [:]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError.unreadable(path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ModelError.notText(path: path) }
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        try self.init(text: text, file: path, defaultName: Identifier.problem(base) == nil ? base : "model", overrides: overrides)
    }

    /// Reads model text; `file` names it in diagnostics, `defaultName` names the function made
    /// when the text has no `function` statement.
    public init(text: String, file: String = "<model>", defaultName: String = "model", overrides: [String: Double] = [:]) throws {
        let source = SourceText(file: file, text: text)
        let statements = try Parser.parse(source)
        var builder = ModelBuilder(source: source, statements: statements, overrides: overrides)
        try builder.build(defaultName: defaultName)
        context = builder.context
        functions = builder.functions
        parameters = builder.parameterValues
        inputs = builder.inputValues
        derivatives = builder.derivatives
        loops = builder.loops
        loopDerivatives = builder.loopDerivatives
    }
}

/// A model that could not be read, outside its text.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notText(path: String)
    case unknownParameter(String, known: [String])

    public var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the file"
        case .notText(let path): return "\(path): the file is not UTF-8 text"
        case .unknownParameter(let name, let known):
            return "the model has no parameter '\(name)'" + (known.isEmpty ? " (it has none)" : " (it has: \(known.joined(separator: ", ")))")
        }
    }
}

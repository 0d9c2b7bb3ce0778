import DiffGenAD
import DiffGenCore
import DiffGenRepeat

/// Evaluates expressions of a model into graph values. Recursion follows the syntax tree, whose
/// depth the parser bounds, and inlined user functions, whose nesting `maxCallDepth` bounds.
struct Evaluator {
    static let maxCallDepth = 32
    /// Expressions evaluated per model at most, so no text (a range of 10¹⁵ steps, say) can keep
    /// the reader busy for ever; the largest reference problems take under a tenth of it.
    static let maxSteps = 50_000_000

    let source: SourceText
    let context: ExprContext
    /// Values of top-level names, filled in dependency order.
    var globals: [String: Value] = [:]
    /// Input matrices by name (derivatives are taken with respect to these).
    var inputs: [String: Matrix] = [:]
    /// User functions by name.
    var functions: [String: (parameters: [Statement.Name], body: [(Statement.Name, Syntax)], result: Syntax, location: SourceLocation)] = [:]
    /// Where `call(f, …)` records calls while a `calls(…)` loop is evaluated; nil elsewhere, where
    /// it inlines.
    var callRecorder: CallRecorder? = nil
    /// Each def called without inlining, as a function (made at its first call).
    var calledFunctions: [String: Function] = [:]
    /// Local scopes, innermost last: function parameters and definitions, loop variables.
    private var locals: [[String: Value]] = []
    private var callDepth = 0
    private var steps = 0

    init(source: SourceText, context: ExprContext) {
        self.source = source
        self.context = context
    }

    func error(_ message: String, _ location: SourceLocation) -> Diagnostic {
        source.diagnostic(message, at: location)
    }

    private func lookup(_ name: String) -> Value? {
        for scope in locals.reversed() { if let v = scope[name] { return v } }
        return globals[name]
    }

    mutating func evaluate(_ syntax: Syntax) throws -> Value {
        steps += 1
        guard steps <= Evaluator.maxSteps else {
            throw error("the model needs more than \(Evaluator.maxSteps) evaluation steps; is a range or a step count too large?", syntax.location)
        }
        switch syntax.kind {
        case .number(let v): return .number(v)
        case .name(let name):
            if let value = lookup(name) { return value }
            if let constant = Builtins.constants[name] { return .number(constant) }
            if functions[name] != nil || Builtins.isFunction(name) {
                throw error("'\(name)' is a function: call it with arguments, as \(name)(…)", syntax.location)
            }
            throw error("unknown name '\(name)'", syntax.location)
        case .unary(let op, let operand):
            let value = try evaluate(operand)
            return try Builtins.apply(op == "-" ? .neg : .not, [value], in: context, at: syntax.location, evaluator: self)
        case .binary(let op, let left, let right):
            return try binary(op, try evaluate(left), try evaluate(right), at: syntax.location)
        case .transpose(let operand):
            let value = try evaluate(operand)
            if case .number = value { return value }
            return .matrix(value.matrix(in: context).transposed())
        case .index(let base, let subscripts):
            return try index(try evaluate(base), subscripts, at: syntax.location)
        case .matrix(let rows):
            return try matrixLiteral(rows, at: syntax.location)
        case .comprehension(let body, let variable, let start, let end):
            var parts: [Matrix] = []
            let context = self.context
            try forEach(variable, start, end) { evaluator in parts.append(try evaluator.evaluate(body).matrix(in: context)) }
            guard !parts.isEmpty else { throw error("the range is empty: nothing to stack", syntax.location) }
            return try shaped(at: syntax.location) { .matrix(try Matrix.vertical(parts)) }
        case .call(let name, let arguments):
            return try call(name, arguments, at: syntax.location)
        }
    }

    /// Runs `body` once per integer of `start..<end`, with `variable` bound to it.
    mutating func forEach(_ variable: String, _ start: Syntax, _ end: Syntax, _ body: (inout Evaluator) throws -> Void) throws {
        let from = try integer(start, "the start of a range"), to = try integer(end, "the end of a range")
        locals.append([:])
        defer { locals.removeLast() }
        var k = from
        while k < to {
            locals[locals.count - 1][variable] = .number(Double(k))
            try body(&self)
            k += 1
        }
    }

    /// `syntax` as an integer with `variable` bound to `value` (a loop's window offsets).
    mutating func integer(_ syntax: Syntax, _ what: String, binding variable: String, to value: Int) throws -> Int {
        locals.append([variable: .number(Double(value))])
        defer { locals.removeLast() }
        return try integer(syntax, what)
    }

    /// An expression that must be an integer known while reading the model.
    mutating func integer(_ syntax: Syntax, _ what: String) throws -> Int {
        guard case .number(let v) = try evaluate(syntax) else {
            throw error("\(what) must be a number known before the model is built (a literal, a parameter or a loop variable)", syntax.location)
        }
        guard v == v.rounded(), abs(v) < 1e15 else { throw error("\(what) must be a whole number, not \(v)", syntax.location) }
        return Int(v)
    }

    /// Runs a matrix operation, turning its shape error into a diagnostic here.
    func shaped(at location: SourceLocation, _ body: () throws -> Value) throws -> Value {
        do { return try body() } catch let error as ShapeError {
            throw self.error(error.description, location)
        }
    }

    private mutating func binary(_ op: String, _ x: Value, _ y: Value, at location: SourceLocation) throws -> Value {
        switch op {
        case "+": return try Builtins.apply(.add, [x, y], in: context, at: location, evaluator: self)
        case "-": return try Builtins.apply(.sub, [x, y], in: context, at: location, evaluator: self)
        case ".*": return try Builtins.apply(.mul, [x, y], in: context, at: location, evaluator: self)
        case "/": return try Builtins.apply(.div, [x, y], in: context, at: location, evaluator: self)
        case "<": return try Builtins.apply(.lt, [x, y], in: context, at: location, evaluator: self)
        case "<=": return try Builtins.apply(.le, [x, y], in: context, at: location, evaluator: self)
        case ">": return try Builtins.apply(.lt, [y, x], in: context, at: location, evaluator: self)
        case ">=": return try Builtins.apply(.le, [y, x], in: context, at: location, evaluator: self)
        case "==": return try Builtins.apply(.eq, [x, y], in: context, at: location, evaluator: self)
        case "!=": return try Builtins.apply(.ne, [x, y], in: context, at: location, evaluator: self)
        case "&&": return try Builtins.apply(.and, [x, y], in: context, at: location, evaluator: self)
        case "||": return try Builtins.apply(.or, [x, y], in: context, at: location, evaluator: self)
        case "^": return try Builtins.power(x, y, in: context, at: location, evaluator: self)
        case "*":
            // A scalar scales; two matrices multiply.
            if x.shape == (1, 1) || y.shape == (1, 1) { return try Builtins.apply(.mul, [x, y], in: context, at: location, evaluator: self) }
            return try shaped(at: location) { .matrix(try x.matrix(in: context) * y.matrix(in: context)) }
        default:
            throw error("unknown operator '\(op)'", location)
        }
    }

    private mutating func index(_ base: Value, _ subscripts: [Syntax.Subscript], at location: SourceLocation) throws -> Value {
        let m = base.matrix(in: context)
        func range(_ part: Syntax.Subscript, extent: Int, _ what: String) throws -> Range<Int> {
            switch part {
            case .single(let syntax):
                let k = try integer(syntax, "an index")
                guard k >= 0 && k < extent else { throw error("\(what) \(k) is out of range for a \(m.rows)×\(m.cols) matrix", syntax.location) }
                return k..<(k + 1)
            case .range(let start, let end):
                let a = try start.map { try integer($0, "the start of a slice") } ?? 0
                let b = try end.map { try integer($0, "the end of a slice") } ?? extent
                guard a >= 0 && a <= b && b <= extent else {
                    throw error("slice \(a):\(b) is out of range for a \(m.rows)×\(m.cols) matrix", location)
                }
                return a..<b
            }
        }
        if subscripts.count == 1 {
            // One subscript: an entry or slice of a vector.
            guard m.rows == 1 || m.cols == 1 else {
                throw error("a \(m.rows)×\(m.cols) matrix needs two subscripts, as x[i, j]", location)
            }
            let r = try range(subscripts[0], extent: m.count, "index")
            return .matrix(m.rows == 1 ? m[0..<1, r] : m[r, 0..<1])
        }
        let rows = try range(subscripts[0], extent: m.rows, "row")
        let cols = try range(subscripts[1], extent: m.cols, "column")
        return .matrix(m[rows, cols])
    }

    private mutating func matrixLiteral(_ rows: [[Syntax]], at location: SourceLocation) throws -> Value {
        guard !rows.isEmpty else { throw error("an empty matrix has no entries; use zeros(rows, cols)", location) }
        var blocks: [Matrix] = []
        for row in rows {
            var parts: [Matrix] = []
            for entry in row { parts.append(try evaluate(entry).matrix(in: context)) }
            blocks.append(try shaped(at: location) { .matrix(try Matrix.horizontal(parts)) }.matrix(in: context))
        }
        return try shaped(at: location) { .matrix(try Matrix.vertical(blocks)) }
    }

    private mutating func call(_ name: String, _ arguments: [Syntax], at location: SourceLocation) throws -> Value {
        if name == "call" && functions[name] == nil { return try keptCall(arguments, at: location) }
        guard functions[name] != nil else { return try Builtins.call(name, arguments, at: location, evaluator: &self) }
        var values: [Value] = []
        for argument in arguments { values.append(try evaluate(argument)) }
        return try invoke(name, values, at: location)
    }

    /// Inlines user function `name` on `arguments`.
    mutating func invoke(_ name: String, _ arguments: [Value], at location: SourceLocation) throws -> Value {
        guard let function = functions[name] else { throw error("unknown function '\(name)'", location) }
        guard arguments.count == function.parameters.count else {
            throw error("'\(name)' takes \(function.parameters.count) argument\(function.parameters.count == 1 ? "" : "s"), got \(arguments.count)", location)
        }
        guard callDepth < Evaluator.maxCallDepth else {
            throw error("function calls nested more than \(Evaluator.maxCallDepth) deep", location)
        }
        var frame: [String: Value] = [:]
        for (parameter, argument) in zip(function.parameters, arguments) { frame[parameter.text] = argument }
        // A function body sees its parameters and the model's top-level names only.
        let saved = locals
        locals = [frame]
        callDepth += 1
        defer {
            locals = saved
            callDepth -= 1
        }
        for (local, value) in function.body {
            guard locals[0][local.text] == nil else { throw error("'\(local.text)' is already defined in '\(name)'", local.location) }
            locals[0][local.text] = try evaluate(value)
        }
        return try evaluate(function.result)
    }
}

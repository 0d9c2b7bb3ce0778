import DiffGenCore
import DiffGenRepeat

/// Turns parsed statements into functions: names checked, definitions ordered by their
/// dependencies (an explicit-stack depth-first search, so a chain of a million definitions is
/// fine), evaluated, and grouped into functions.
struct ModelBuilder {
    let source: SourceText
    let statements: [Statement]
    let overrides: [String: Double]
    let context = ExprContext()
    private(set) var functions: [Function] = []
    private(set) var parameterValues: [(name: String, value: Double)] = []
    private(set) var derivatives: [DerivativeOutput] = []
    private(set) var inputValues: [(name: String, value: Matrix)] = []
    private(set) var loops: [any LoopedFunction] = []
    private(set) var loopDerivatives: [LoopDerivative] = []

    init(source: SourceText, statements: [Statement], overrides: [String: Double]) {
        self.source = source
        self.statements = statements
        self.overrides = overrides
    }

    private func error(_ message: String, _ location: SourceLocation) -> Diagnostic {
        source.diagnostic(message, at: location)
    }

    /// The name a statement defines, if any.
    private static func defined(by statement: Statement) -> Statement.Name? {
        switch statement {
        case .param(let n, _), .input(let n, _, _), .define(let n, _), .output(let n, _), .function(let n, _, _, _): return n
        case .generate, .loop: return nil
        }
    }

    mutating func build(defaultName: String) throws {
        // Names: one definition each, none shadowing a built-in function or constant.
        var index: [String: Int] = [:]
        for (k, statement) in statements.enumerated() {
            guard let name = Self.defined(by: statement) else { continue }
            if let previous = index[name.text], let first = Self.defined(by: statements[previous]) {
                throw error("'\(name.text)' is already defined at line \(first.location.line), column \(first.location.column)", name.location)
            }
            if Builtins.isFunction(name.text) || Builtins.constants[name.text] != nil {
                throw error("'\(name.text)' is a built-in name and cannot be redefined", name.location)
            }
            index[name.text] = k
        }
        let known = statements.compactMap { if case .param(let n, _) = $0 { n.text } else { nil } }
        for name in overrides.keys.sorted() where !known.contains(name) {
            throw ModelError.unknownParameter(name, known: known)
        }
        var evaluator = Evaluator(source: source, context: context)
        for statement in statements {
            if case .function(let n, let parameters, let body, let result) = statement {
                evaluator.functions[n.text] = (parameters, body, result, n.location)
            }
        }
        var outputs: [(Statement.Name, Value)] = []
        var inputs: [Statement.Name] = []
        for k in try dependencyOrder(index) {
            switch statements[k] {
            case .param(let n, let syntax):
                var value: Double
                if let override = overrides[n.text] {
                    value = override
                } else {
                    guard case .number(let v) = try evaluator.evaluate(syntax) else {
                        throw error("parameter '\(n.text)' must be a number known before the model is built (not an expression of inputs)", syntax.location)
                    }
                    value = v
                }
                evaluator.globals[n.text] = .number(value)
                parameterValues.append((n.text, value))
            case .input(let n, let rowsSyntax, let colsSyntax):
                let rows = try rowsSyntax.map { try evaluator.integer($0, "the number of rows") } ?? 1
                let cols = try colsSyntax.map { try evaluator.integer($0, "the number of columns") } ?? 1
                guard rows >= 1 && cols >= 1 && rows * cols <= 1 << 26 else {
                    throw error("input '\(n.text)' cannot be \(rows)×\(cols)", n.location)
                }
                let matrix = rowsSyntax == nil ? Matrix(context.symbol(n.text)) : colsSyntax == nil
                    ? context.vector(n.text, count: rows) : context.matrix(n.text, rows: rows, cols: cols)
                evaluator.inputs[n.text] = matrix
                evaluator.globals[n.text] = .matrix(matrix)
                inputs.append(n)
            case .define(let n, let syntax):
                evaluator.globals[n.text] = try evaluator.evaluate(syntax)
            case .output(let n, let syntax):
                let value = try evaluator.evaluate(syntax)
                evaluator.globals[n.text] = value
                outputs.append((n, value))
                if let record = try derivative(n.text, syntax, value, &evaluator) { derivatives.append(record) }
            case .function, .generate, .loop:
                break
            }
        }
        // Declaration order for the default function and for reporting.
        inputs.sort { $0.location.offset < $1.location.offset }
        inputValues = inputs.map { ($0.text, evaluator.inputs[$0.text]!) }
        outputs.sort { $0.0.location.offset < $1.0.location.offset }
        parameterValues.sort { a, b in known.firstIndex(of: a.name)! < known.firstIndex(of: b.name)! }
        let generates = statements.compactMap { statement -> (Statement.Name, [Statement.Name], [Statement.Name])? in
            if case .generate(let n, let i, let o) = statement { return (n, i, o) }
            return nil
        }
        var loopStatements = LoopStatements(source: source, context: context)
        for statement in statements {
            if case .loop(let name, let loopInputs, let syntax) = statement { try loopStatements.add(name, inputs: loopInputs, syntax, &evaluator) }
        }
        loops = loopStatements.loops
        loopDerivatives = loopStatements.derivatives
        if generates.isEmpty && outputs.isEmpty && !loops.isEmpty { return }
        if generates.isEmpty {
            guard !outputs.isEmpty else { throw error("the model has no outputs", SourceLocation(line: 1, column: 1, offset: 0, length: 1)) }
            functions = [try function(Statement.Name(text: defaultName, location: outputs[0].0.location), inputs, outputs.map(\.0), evaluator)]
        } else {
            var seen = Set<String>()
            for (name, functionInputs, functionOutputs) in generates {
                guard seen.insert(name.text).inserted else { throw error("function '\(name.text)' is declared twice", name.location) }
                functions.append(try function(name, functionInputs, functionOutputs, evaluator))
            }
        }
    }

    /// What an output written as `output D = jacobian(f, x)` (or any derivative) differentiates,
    /// for `diffgen check`.
    private func derivative(_ output: String, _ syntax: Syntax, _ value: Value, _ evaluator: inout Evaluator) throws -> DerivativeOutput? {
        guard case .call(let name, let arguments) = syntax.kind, Builtins.derivatives.contains(name) else { return nil }
        let lagrangian = name.hasSuffix("lagrangian_hessian")
        guard case .name(let variable) = arguments[lagrangian ? 2 : 1].kind, let x = evaluator.inputs[variable] else { return nil }
        var f = try evaluator.evaluate(arguments[0]).matrix(in: context)
        if lagrangian {
            let g = try evaluator.evaluate(arguments[1]).matrix(in: context)
            let lambda = try evaluator.evaluate(arguments[3]).matrix(in: context)
            let sigma = try evaluator.evaluate(arguments[4]).matrix(in: context)
            f = Matrix(sigma[0] * f[0] + (g.count > 0 ? try lambda.dot(g) : context.constant(0)))
        }
        let direction = ["jvp", "vjp", "hvp"].contains(name) ? try evaluator.evaluate(arguments[2]).matrix(in: context) : nil
        let kind: DerivativeOutput.Kind
        switch name {
        case "jacobian", "sparse_jacobian", "gradient": kind = .jacobian
        case "jvp": kind = .jvp
        case "vjp": kind = .vjp
        case "hvp": kind = .hvp
        default: kind = .hessian
        }
        return DerivativeOutput(output: output, builtin: name, kind: kind, function: f, variable: x, variableName: variable, direction: direction,
                                value: value.matrix(in: context))
    }

    private func function(_ name: Statement.Name, _ inputNames: [Statement.Name], _ outputNames: [Statement.Name],
                          _ evaluator: Evaluator) throws -> Function {
        var inputs: [(String, Matrix)] = []
        for n in inputNames {
            guard let matrix = evaluator.inputs[n.text] else { throw error("'\(n.text)' is not an input", n.location) }
            inputs.append((n.text, matrix))
        }
        var outputs: [(String, any FunctionOutput)] = []
        for n in outputNames {
            guard statements.contains(where: { if case .output(let o, _) = $0 { o.text == n.text } else { false } }),
                  let value = evaluator.globals[n.text] else {
                throw error("'\(n.text)' is not an output", n.location)
            }
            switch value {
            case .sparse(let s): outputs.append((n.text, s))
            default: outputs.append((n.text, value.matrix(in: context)))
            }
        }
        do {
            return try Function(name.text, inputs: inputs, outputs: outputs)
        } catch let problem as FunctionError {
            if case .freeSymbol(let symbol, let output, _) = problem {
                throw error("output '\(output)' of '\(name.text)' depends on input '\(symbol)', which '\(name.text)' does not take", name.location)
            }
            throw error(problem.description, name.location)
        }
    }

    /// Top-level definitions in an order where each comes after everything it names.
    private func dependencyOrder(_ index: [String: Int]) throws -> [Int] {
        let dependencies: [[Int]] = statements.map { statement in
            var names: [String] = []
            switch statement {
            case .param(_, let s), .define(_, let s), .output(_, let s): FreeNames.collect(s, into: &names)
            case .input(_, let rows, let cols):
                if let rows { FreeNames.collect(rows, into: &names) }
                if let cols { FreeNames.collect(cols, into: &names) }
            case .function(_, let parameters, let body, let result):
                var bound = Set(parameters.map(\.text))
                for (local, value) in body {
                    FreeNames.collect(value, into: &names, bound: bound)
                    bound.insert(local.text)
                }
                FreeNames.collect(result, into: &names, bound: bound)
            case .generate, .loop: break
            }
            var seen = Set<Int>()
            return names.compactMap { index[$0] }.filter { seen.insert($0).inserted }
        }
        // 0: not visited, 1: on the stack, 2: done.
        var state = [UInt8](repeating: 0, count: statements.count)
        var order: [Int] = []
        for root in statements.indices where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                if top.next < dependencies[top.node].count {
                    stack[stack.count - 1].next += 1
                    let dependency = dependencies[top.node][top.next]
                    if state[dependency] == 1 {
                        let cycle = stack.map(\.node).drop { $0 != dependency } + [dependency]
                        let names = cycle.compactMap { Self.defined(by: statements[$0])?.text }
                        let at = Self.defined(by: statements[dependency])!
                        throw error("definitions form a cycle: \(names.joined(separator: " → "))", at.location)
                    }
                    if state[dependency] == 0 {
                        state[dependency] = 1
                        stack.append((dependency, 0))
                    }
                } else {
                    state[top.node] = 2
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return order
    }
}

/// Names an expression refers to, other than its own loop variables.
enum FreeNames {
    static func collect(_ syntax: Syntax, into names: inout [String], bound: Set<String> = []) {
        switch syntax.kind {
        case .number: break
        case .name(let n): if !bound.contains(n) { names.append(n) }
        case .call(let n, let arguments):
            if !bound.contains(n) { names.append(n) }
            for a in arguments { collect(a, into: &names, bound: bound) }
        case .unary(_, let x), .transpose(let x): collect(x, into: &names, bound: bound)
        case .binary(_, let x, let y):
            collect(x, into: &names, bound: bound)
            collect(y, into: &names, bound: bound)
        case .index(let base, let subscripts):
            collect(base, into: &names, bound: bound)
            for part in subscripts {
                switch part {
                case .single(let s): collect(s, into: &names, bound: bound)
                case .range(let a, let b):
                    if let a { collect(a, into: &names, bound: bound) }
                    if let b { collect(b, into: &names, bound: bound) }
                }
            }
        case .matrix(let rows):
            for row in rows { for entry in row { collect(entry, into: &names, bound: bound) } }
        case .comprehension(let body, let variable, let start, let end):
            collect(start, into: &names, bound: bound)
            collect(end, into: &names, bound: bound)
            collect(body, into: &names, bound: bound.union([variable]))
        }
    }
}

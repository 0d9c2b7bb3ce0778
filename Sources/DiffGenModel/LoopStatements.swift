import DiffGenCore
import DiffGenRepeat

/// `loop` statements: maps and folds kept as C loops, calls kept as calls, and their derivatives.
///
///     loop f(x) = map_sum(term(x[k], x[k + 1]) for k in 0:n - 1)   # or map(…): stacked
///     loop g(w) = calls([w[k + 1] - call(step, w[k]) for k in 0:N]) # step's C once, called N times
///     loop r(x0, u) = fold(step(x0, u[k]) for k in 0:N)            # first argument: the state
///     loop s(x0, u) = mapaccum(step(x0, u[k]) for k in 0:N)        # every state, side by side
///     loop H = hessian(f, x)                                        # jacobian(…) too
///
/// Each argument of the `def` call is a window of an outer input: the whole input (the same in
/// every instance), `x[e]` or `x[a:b]` with `e`, `a` affine in the loop variable.
struct LoopStatements {
    let source: SourceText
    let context: ExprContext
    private(set) var loops: [any LoopedFunction] = []
    /// `loop D = jacobian(f, x)` and `hessian`: what each differentiates, for `diffgen check`.
    private(set) var derivatives: [LoopDerivative] = []
    private var maps: [String: MappedFunction] = [:]
    private var folds: [String: FoldedFunction] = [:]
    private var callings: [String: CallingFunction] = [:]

    init(source: SourceText, context: ExprContext) {
        (self.source, self.context) = (source, context)
    }

    private func error(_ message: String, _ location: SourceLocation) -> Diagnostic { source.diagnostic(message, at: location) }

    mutating func add(_ name: Statement.Name, inputs: [Statement.Name]?, _ syntax: Syntax, _ evaluator: inout Evaluator) throws {
        guard maps[name.text] == nil, folds[name.text] == nil, callings[name.text] == nil, !loops.contains(where: { $0.name == name.text }) else {
            throw error("loop '\(name.text)' is defined twice", name.location)
        }
        guard case .call(let kind, let arguments) = syntax.kind else {
            throw error("a loop is map(…), map_sum(…), fold(…), mapaccum(…), calls(…), jacobian(loop, input) or hessian(loop, input)", syntax.location)
        }
        do {
            switch kind {
            case "jacobian", "hessian":
                guard inputs == nil else { throw error("a loop's derivative takes the loop's inputs: write 'loop \(name.text) = \(kind)(…)'", name.location) }
                try derivative(name, kind, arguments, at: syntax.location)
            case "calls":
                guard let inputs else { throw error("name the function's inputs: 'loop \(name.text)(x, …) = calls(…)'", name.location) }
                try calling(name, inputs, arguments, at: syntax.location, &evaluator)
            case "map", "map_sum", "fold", "mapaccum":
                guard let inputs else { throw error("name the loop's inputs: 'loop \(name.text)(x, …) = \(kind)(…)'", name.location) }
                try repeated(name, kind, inputs, arguments, at: syntax.location, &evaluator)
            default:
                throw error("a loop is map(…), map_sum(…), fold(…), mapaccum(…), calls(…), jacobian(loop, input) or hessian(loop, input), not \(kind)(…)", syntax.location)
            }
        } catch let problem as MapError {
            throw error(problem.description, syntax.location)
        } catch let problem as CallError {
            throw error(problem.description, syntax.location)
        } catch let problem as FunctionError {
            throw error(problem.description, syntax.location)
        }
    }

    /// `loop f(x, …) = calls(expression)`: the expression with each `call(def, …)` in it kept as a
    /// call of the def.
    private mutating func calling(_ name: Statement.Name, _ inputNames: [Statement.Name], _ arguments: [Syntax],
                                  at location: SourceLocation, _ evaluator: inout Evaluator) throws {
        guard arguments.count == 1 else { throw error("calls takes one expression: calls(y) with call(f, …) in y", location) }
        var inputs: [(String, Matrix)] = []
        for input in inputNames {
            guard let matrix = evaluator.inputs[input.text] else { throw error("'\(input.text)' is not an input", input.location) }
            inputs.append((input.text, matrix))
        }
        let recorder = CallRecorder(context)
        evaluator.callRecorder = recorder
        defer { evaluator.callRecorder = nil }
        let value = try evaluator.evaluate(arguments[0]).matrix(in: context)
        let function = try CallingFunction(name.text, inputs: inputs, outputs: [("y", value)], calls: recorder)
        callings[name.text] = function
        loops.append(function)
    }

    private mutating func derivative(_ name: Statement.Name, _ kind: String, _ arguments: [Syntax], at location: SourceLocation) throws {
        guard arguments.count == 2, case .name(let loop) = arguments[0].kind, case .name(let input) = arguments[1].kind else {
            throw error("\(kind) of a loop takes the loop's name and one of its inputs: \(kind)(f, x)", location)
        }
        derivatives.append(LoopDerivative(name: name.text, kind: kind == "jacobian" ? .jacobian : .hessian, of: loop, input: input))
        guard maps[loop] != nil || folds[loop] != nil || callings[loop] != nil, let value = loops.first(where: { $0.name == loop }) else {
            throw error("'\(loop)' is not a map, fold or calls loop defined above", arguments[0].location)
        }
        guard let k = value.inputPorts.firstIndex(where: { $0.name == input }) else {
            throw error("'\(input)' is not an input of loop '\(loop)'", arguments[1].location)
        }
        if let map = maps[loop] {
            loops.append(kind == "jacobian" ? try MapProduct.jacobian(of: map, output: 0, wrt: k, name: name.text)
                                            : try MapProduct.hessian(of: map, output: 0, wrt: k, name: name.text))
        } else if let calling = callings[loop] {
            loops.append(kind == "jacobian" ? try calling.jacobian(of: 0, wrt: k, name: name.text) : try calling.hessian(of: 0, wrt: k, name: name.text))
        } else if let fold = folds[loop] {
            guard kind == "jacobian" else { throw error("a fold has a jacobian (of its final state), not a hessian", location) }
            loops.append(try FoldJacobian(of: fold, wrt: k, name: name.text))
        }
    }

    private mutating func repeated(_ name: Statement.Name, _ kind: String, _ inputNames: [Statement.Name], _ arguments: [Syntax],
                                   at location: SourceLocation, _ evaluator: inout Evaluator) throws {
        guard arguments.count == 1, case .comprehension(let call, let variable, let start, let stop) = arguments[0].kind,
              case .call(let def, let windowSyntax) = call.kind, let function = evaluator.functions[def] else {
            throw error("\(kind) takes one call of a def over a range: \(kind)(f(x[k], …) for k in 0:n)", location)
        }
        guard windowSyntax.count == function.parameters.count else {
            throw error("'\(def)' takes \(function.parameters.count) arguments, got \(windowSyntax.count)", call.location)
        }
        var outer: [(String, Int)] = []
        for input in inputNames {
            guard let matrix = evaluator.inputs[input.text] else { throw error("'\(input.text)' is not an input", input.location) }
            outer.append((input.text, matrix.count))
        }
        let first = try evaluator.integer(start, "the start of a range"), last = try evaluator.integer(stop, "the end of a range")
        let count = last - first
        guard count >= 1 else { throw error("the range is empty: nothing to repeat", arguments[0].location) }
        var windows: [Window] = [], sizes: [Int] = []
        for argument in windowSyntax {
            let (window, size) = try self.window(argument, outer: outer, variable: variable, first: first, count: count, &evaluator)
            windows.append(window)
            sizes.append(size)
        }
        // The def on fresh symbols, one vector per parameter (named after the loop, so they
        // cannot meet the model's own symbols).
        let parameters = zip(function.parameters, sizes).map { parameter, size in
            (parameter.text, context.vector("\(name.text)_\(parameter.text)", count: size))
        }
        let result = try evaluator.invoke(def, parameters.map { .matrix($0.1) }, at: call.location).matrix(in: context)
        let body = try Function("\(name.text)_body", inputs: parameters, outputs: [("y", result)])
        if kind == "fold" || kind == "mapaccum" {
            guard result.count == sizes[0] else {
                throw error("a fold's step returns its state: '\(def)' returns \(result.count) values for a state of \(sizes[0])", call.location)
            }
            let fold = try FoldedFunction(name.text, step: body, count: count, inputs: outer, initial: windows[0], windows: Array(windows.dropFirst()),
                                          everyState: kind == "mapaccum")
            folds[name.text] = fold
            loops.append(fold)
        } else {
            let map = try MappedFunction(name.text, body: body, count: count, inputs: outer, windows: windows, reduction: kind == "map_sum" ? .sum : .stack)
            maps[name.text] = map
            loops.append(MapProduct.value(of: map, name: name.text))
        }
    }

    /// The window an argument reads: a whole input (shared) or `x[e]`, `x[a:b]` affine in the
    /// loop variable, checked at the first, second and last instance.
    private func window(_ syntax: Syntax, outer: [(String, Int)], variable: String, first: Int, count: Int,
                        _ evaluator: inout Evaluator) throws -> (Window, Int) {
        func input(_ base: Syntax) throws -> Int {
            guard case .name(let name) = base.kind, let k = outer.firstIndex(where: { $0.0 == name }) else {
                throw error("a loop argument reads one of the loop's inputs, as x, x[k] or x[a:b]", base.location)
            }
            return k
        }
        switch syntax.kind {
        case .name:
            let k = try input(syntax)
            return (.shared(k), outer[k].1)
        case .index(let base, let subscripts) where subscripts.count == 1:
            let k = try input(base)
            let (startSyntax, endSyntax): (Syntax, Syntax?)
            switch subscripts[0] {
            case .single(let e): (startSyntax, endSyntax) = (e, nil)
            case .range(let a?, let b?): (startSyntax, endSyntax) = (a, b)
            default: throw error("a loop window is x[e] or x[a:b] with both ends written", syntax.location)
            }
            func offset(at instance: Int) throws -> Int {
                try evaluator.integer(startSyntax, "a window's start", binding: variable, to: first + instance)
            }
            let (o0, o1, last) = (try offset(at: 0), try offset(at: min(1, count - 1)), try offset(at: count - 1))
            let stride = count > 1 ? o1 - o0 : 0
            guard last == o0 + (count - 1) * stride, stride >= 0 else {
                throw error("this window does not move by a fixed step from one instance to the next", syntax.location)
            }
            var size = 1
            if let endSyntax {
                size = try evaluator.integer(endSyntax, "a window's end", binding: variable, to: first) - o0
                guard size >= 1 else { throw error("this window is empty", syntax.location) }
            }
            return (Window(input: k, offset: o0, stride: stride), size)
        default:
            throw error("a loop argument reads one of the loop's inputs, as x, x[k] or x[a:b]", syntax.location)
        }
    }
}

/// A loop written as the derivative of another: `loop D = jacobian(f, x)` or `hessian(f, x)`.
public struct LoopDerivative: Sendable {
    public enum Kind: Sendable { case jacobian, hessian }
    public let name: String
    public let kind: Kind
    /// The differentiated loop and input, by name.
    public let of: String
    public let input: String
}

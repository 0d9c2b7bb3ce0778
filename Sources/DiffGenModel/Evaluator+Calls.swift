import DiffGenCore
import DiffGenRepeat

extension Evaluator {
    /// `call(f, a, …)`: the def `f` at the arguments, kept as a call inside a `calls(…)` loop (its
    /// C generated once, however many calls) and inlined everywhere else, so the same expression
    /// written as an output is the inlined reference.
    mutating func keptCall(_ arguments: [Syntax], at location: SourceLocation) throws -> Value {
        guard let first = arguments.first, case .name(let def) = first.kind, let function = functions[def] else {
            throw error("call takes a def's name and its arguments: call(f, x, …)", arguments.first?.location ?? location)
        }
        var values: [Value] = []
        for argument in arguments.dropFirst() { values.append(try evaluate(argument)) }
        guard let recorder = callRecorder else { return try invoke(def, values, at: location) }
        guard values.count == function.parameters.count else {
            throw error("'\(def)' takes \(function.parameters.count) argument\(function.parameters.count == 1 ? "" : "s"), got \(values.count)", location)
        }
        let matrices = values.map { $0.matrix(in: context) }
        let callee: Function
        if let known = calledFunctions[def] {
            callee = known
        } else {
            // The def on fresh symbols shaped like these arguments, once; calls inside its body
            // are inlined into it (a callee is a plain function).
            let parameters = zip(function.parameters, matrices).map { parameter, argument in
                (parameter.text, context.matrix("\(def)_\(parameter.text)", rows: argument.rows, cols: argument.cols))
            }
            callRecorder = nil
            defer { callRecorder = recorder }
            let result = try invoke(def, parameters.map { .matrix($0.1) }, at: location).matrix(in: context)
            callee = try Function(def, inputs: parameters, outputs: [("y", result)])
            calledFunctions[def] = callee
        }
        do {
            return .matrix(try recorder.call(callee, matrices, inline: false)[0])
        } catch let problem as CallError {
            throw error(problem.description + " (a def called without inlining keeps the argument shapes of its first call)", location)
        }
    }
}

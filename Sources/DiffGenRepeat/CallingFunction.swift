import DiffGenCore

/// A function whose expressions call other functions without inlining them (CasADi's function
/// calls in MX, JAX's non-inlined `jit` calls): each callee's C is generated once and called,
/// and its derivatives are generated once and called by the caller's derivatives.
///
/// Built from a `CallRecorder`: the caller's outputs are expressions of its inputs and of the
/// calls' results. The code around the calls runs in stages: calls whose arguments need no
/// other call's results form level 0, calls whose arguments need level-0 results level 1, and so
/// on; each level's arguments are one generated function of the inputs and the results so far,
/// and the outputs one more. A value used by two stages is computed in each (keep the code
/// between calls small; repeated structure with long chains of calls is a `FoldedFunction`).
public struct CallingFunction {
    public let name: String
    public let context: ExprContext
    public let inputs: [(name: String, value: Matrix)]
    public let outputs: [(name: String, pattern: Pattern, nodes: [NodeID])]
    /// The calls the outputs need, in the order they were made.
    public let calls: [Call]
    /// Call indices by level: a call's arguments read results of lower levels only.
    public let levels: [[Int]]
    /// One function per level computing its calls' arguments (one output per call), then one
    /// computing the outputs; each takes the inputs and every call's results (in call order).
    let stages: [Function]
    /// Derivative functions of the callees, reused by every derivative of this function.
    let derivativeCallees: DerivativeCallees

    /// - Throws: `FunctionError` for names, inputs or a free symbol; `CallError` when no call is
    ///   needed (a derivative may need none: it is then a driver around one stage).
    public init(_ name: String, inputs: [(String, Matrix)], outputs: [(String, any FunctionOutput)], calls recorder: CallRecorder) throws {
        try self.init(name, inputs: inputs, outputs: outputs.map { ($0.0, $0.1.outputPattern, $0.1.outputNodes) }, recorded: recorder.calls,
                      context: recorder.context, derivativeCallees: DerivativeCallees())
        guard !calls.isEmpty else { throw CallError.noCalls(function: name) }
    }

    init(_ name: String, inputs: [(String, Matrix)], outputs: [(String, Pattern, [NodeID])], recorded: [Call], context: ExprContext,
         derivativeCallees: DerivativeCallees) throws {
        let graph = context.graph
        // Which calls the outputs need: one descending pass, a needed result making its call's
        // arguments needed (they are older nodes, so still ahead).
        var callOfResult: [NodeID: Int] = [:]
        for (c, call) in recorded.enumerated() { for result in call.results { callOfResult[result] = c } }
        let roots = outputs.flatMap(\.2)
        let top = max(roots.max()?.index ?? 0, recorded.flatMap(\.results).max()?.index ?? 0)
        var needed = [Bool](repeating: false, count: top + 1)
        for root in roots { needed[root.index] = true }
        var neededCall = [Bool](repeating: false, count: recorded.count)
        for index in stride(from: top, through: 0, by: -1) where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            if op == .symbol, let c = callOfResult[id], !neededCall[c] {
                neededCall[c] = true
                for argument in recorded[c].arguments { needed[argument.index] = true }
            }
            for k in 0..<op.operandCount { needed[graph.operand(k, of: id).index] = true }
        }
        let kept = recorded.indices.filter { neededCall[$0] }
        let calls = kept.map { recorded[$0] }
        // Levels: one ascending pass; a node's stage is the highest level whose results it reads, plus one.
        var stage = [Int32](repeating: 0, count: top + 1)
        var level = [Int](repeating: 0, count: calls.count)
        var keptIndex = [Int](repeating: -1, count: recorded.count)
        for (k, c) in kept.enumerated() { keptIndex[c] = k }
        var firstResult: [NodeID: Int] = [:]
        for (c, call) in calls.enumerated() { if let first = call.results.first { firstResult[first] = c } }
        for index in 0...top {
            let id = NodeID(index)
            let op = graph.op(id)
            if op == .symbol, let c = firstResult[id] {
                level[c] = calls[c].arguments.map { Int(stage[$0.index]) }.max() ?? 0
            }
            if op == .symbol, let c = callOfResult[id], keptIndex[c] >= 0 {
                stage[index] = Int32(level[keptIndex[c]] + 1)
                continue
            }
            for k in 0..<op.operandCount { stage[index] = max(stage[index], stage[graph.operand(k, of: id).index]) }
        }
        levels = calls.isEmpty ? [] : (0...level.max()!).map { l in calls.indices.filter { level[$0] == l } }
        // The stage functions check names, inputs and free symbols, once.
        let results = calls.flatMap(\.results)
        let ports = inputs + [("call_results", Matrix(nodes: results, rows: results.count, cols: 1, in: context))]
        var stages = try levels.enumerated().map { l, members in
            try Function("\(name)_args\(l)", inputs: ports, outputs: members.map { c in
                ("call\(c)", Matrix(nodes: calls[c].arguments, rows: calls[c].arguments.count, cols: 1, in: context)) as (String, any FunctionOutput)
            })
        }
        stages.append(try Function("\(name)_out", inputs: ports, outputs: outputs.map {
            ($0.0, SparseMatrix(pattern: $0.1, nonzeros: $0.2, in: context)) as (String, any FunctionOutput)
        }))
        self.stages = stages
        self.calls = calls
        (self.name, self.context, self.derivativeCallees) = (name, context, derivativeCallees)
        self.inputs = inputs.map { (name: $0.0, value: $0.1) }
        self.outputs = outputs.map { (name: $0.0, pattern: $0.1, nodes: $0.2) }
    }

    /// The functions called, each once, in order of first call.
    var callees: [Function] {
        var seen = Set<String>()
        return calls.map(\.callee).filter { seen.insert($0.name).inserted }
    }

    /// The same outputs with every call inlined: one flat `Function` (the reference the calls
    /// are checked against, and the path to take when the callee is small).
    public func inlined(name: String? = nil) throws -> Function {
        var replacements: [NodeID: NodeID] = [:]
        for (_, matrix) in inputs { for id in matrix.ids { replacements[id] = id } }
        for call in calls {
            let arguments = context.withGraph { $0.copy(call.arguments, replacing: replacements)! }
            let values = call.callee.inlined(at: arguments, into: context)
            for (result, value) in zip(call.results, values) { replacements[result] = value }
        }
        let flat = outputs.map { output -> (String, any FunctionOutput) in
            let nodes = context.withGraph { $0.copy(output.nodes, replacing: replacements)! }
            return (output.name, SparseMatrix(pattern: output.pattern, nonzeros: nodes, in: context))
        }
        return try Function(name ?? "\(self.name)_inlined", inputs: inputs.map { ($0.name, $0.value) }, outputs: flat)
    }
}

extension CallingFunction: LoopedFunction {
    public var inputPorts: [(name: String, size: Int)] { inputs.map { ($0.name, $0.value.count) } }
    public var outputPorts: [(name: String, pattern: Pattern)] { outputs.map { ($0.name, $0.pattern) } }
    /// The number of calls.
    public var count: Int { calls.count }
    public var repetition: String {
        "\(calls.count) calls of \(callees.map(\.name).joined(separator: ", ")) in \(levels.count) level\(levels.count == 1 ? "" : "s")"
    }
}

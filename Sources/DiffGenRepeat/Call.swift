import DiffGenCore

/// One call of a function inside another, kept as a call: `results` are fresh symbols of the
/// caller's graph standing for the callee's output nonzeros at `arguments`.
public struct Call {
    public let callee: Function
    /// One node of the caller per callee input entry (port by port, column-major; a sparse
    /// input's nonzeros).
    public let arguments: [NodeID]
    /// One symbol of the caller per callee output nonzero, port by port.
    public let results: [NodeID]
}

/// Why a call or a calling function cannot be built.
public enum CallError: Error, CustomStringConvertible, Equatable {
    case argumentCount(callee: String, expected: Int, got: Int)
    case argumentShape(callee: String, input: String, expected: (Int, Int), got: (Int, Int))
    case mixedContexts(callee: String)
    case nameClash(String)
    case noCalls(function: String)

    public static func == (lhs: CallError, rhs: CallError) -> Bool { lhs.description == rhs.description }

    public var description: String {
        switch self {
        case .argumentCount(let f, let expected, let got): return "call of '\(f)': it takes \(expected) inputs, got \(got)"
        case .argumentShape(let f, let input, let expected, let got):
            return "call of '\(f)': input '\(input)' is \(expected.0)×\(expected.1), the argument \(got.0)×\(got.1)"
        case .mixedContexts(let f): return "call of '\(f)': an argument was built in another ExprContext than the caller's"
        case .nameClash(let name): return "two different functions are called '\(name)'; the C needs one name per function"
        case .noCalls(let f): return "'\(f)' calls nothing its outputs need; make it a plain Function"
        }
    }
}

extension Function {
    /// This function's output nonzeros computed in `context` at `arguments` (one node per input
    /// entry, as `Call.arguments`): its graph copied in, an inlined call.
    func inlined(at arguments: [NodeID], into context: ExprContext) -> [NodeID] {
        let replacements = Dictionary(uniqueKeysWithValues: zip(inputs.flatMap(\.nodes), arguments))
        let roots = outputs.flatMap(\.nodes)
        // A function's outputs depend on its inputs only, so every symbol has a replacement.
        if self.context === context { return context.withGraph { $0.copy(roots, replacing: replacements) }! }
        return context.withGraph { [source = self.context.graph] in $0.copy(roots, from: source, replacing: replacements) }!
    }
}

/// Records the calls made while a caller's expressions are built, for a `CallingFunction`.
///
/// A callee of at most `inlineLimit` operations is inlined (its graph copied in at the
/// arguments, as if written out), like CasADi's SX; a larger one stays a call: its C is
/// generated once however often it is called, and its derivatives are generated once and called
/// in turn.
public final class CallRecorder {
    public let context: ExprContext
    /// Callees with at most this many operations are inlined.
    public var inlineLimit: Int
    public private(set) var calls: [Call] = []
    /// Calls by callee name and arguments: the same call twice is one call.
    private var known: [CallKey: Int] = [:]
    private var callees: [String: Function] = [:]

    private struct CallKey: Hashable {
        let callee: String
        let arguments: [NodeID]
    }

    public init(_ context: ExprContext, inlineLimit: Int = 16) {
        self.context = context
        self.inlineLimit = inlineLimit
    }

    /// `callee` at `arguments` (one matrix per input, of the input's shape): its outputs, dense
    /// (structural zeros as the constant 0).
    /// - Throws: `CallError` for a wrong argument count, shape or context, or a second function
    ///   of an existing callee's name.
    public func call(_ callee: Function, _ arguments: [Matrix], inline: Bool? = nil) throws -> [Matrix] {
        guard arguments.count == callee.inputs.count else {
            throw CallError.argumentCount(callee: callee.name, expected: callee.inputs.count, got: arguments.count)
        }
        var flat: [NodeID] = []
        for (port, argument) in zip(callee.inputs, arguments) {
            guard argument.context === context else { throw CallError.mixedContexts(callee: callee.name) }
            guard argument.rows == port.rows && argument.cols == port.cols else {
                throw CallError.argumentShape(callee: callee.name, input: port.name, expected: (port.rows, port.cols), got: (argument.rows, argument.cols))
            }
            for entry in port.pattern.entries { flat.append(argument.ids[entry.row + entry.col * port.rows]) }
        }
        if inline ?? (callee.operationCount <= inlineLimit) { return dense(callee, callee.inlined(at: flat, into: context)) }
        let index = try record(callee, arguments: flat)
        return dense(callee, calls[index].results)
    }

    /// The index of the call of `callee` at these flattened arguments, recorded if new.
    func record(_ callee: Function, arguments: [NodeID]) throws -> Int {
        try register(callee)
        let key = CallKey(callee: callee.name, arguments: arguments)
        if let index = known[key] { return index }
        var results: [NodeID] = []
        for port in callee.outputs {
            for k in 0..<port.count { results.append(context.symbol("\(callee.name)_\(calls.count)_\(port.name)_\(k)").id) }
        }
        calls.append(Call(callee: callee, arguments: arguments, results: results))
        known[key] = calls.count - 1
        return calls.count - 1
    }

    /// Starts from the calls of an existing calling function (its derivatives add to them).
    convenience init(continuing calls: [Call], in context: ExprContext) throws {
        self.init(context)
        for call in calls {
            try register(call.callee)
            known[CallKey(callee: call.callee.name, arguments: call.arguments)] = self.calls.count
            self.calls.append(call)
        }
    }

    private func register(_ callee: Function) throws {
        if let existing = callees[callee.name] {
            guard existing.context === callee.context && existing.outputs == callee.outputs && existing.inputs == callee.inputs else {
                throw CallError.nameClash(callee.name)
            }
        } else {
            callees[callee.name] = callee
        }
    }

    private func dense(_ callee: Function, _ nonzeros: [NodeID]) -> [Matrix] {
        var offset = 0
        return callee.outputs.map { port in
            defer { offset += port.count }
            return SparseMatrix(pattern: port.pattern, nonzeros: Array(nonzeros[offset..<(offset + port.count)]), in: context).dense()
        }
    }
}

/// Named matrix inputs and outputs over one expression graph: what flows between the stages of
/// the pipeline (differentiation, code generation, compilation).
///
/// Inputs are matrices of distinct symbols; every symbol an output depends on must be one of
/// them. Entries are ordered column-major, as in `Matrix`.
public struct Function {
    /// One named input or output.
    public struct Port: Sendable, Equatable {
        public let name: String
        public let rows: Int
        public let cols: Int
        /// Node ids of the entries, column-major; of the structural nonzeros for a sparse output.
        public let nodes: [NodeID]
        /// Which entries are stored (dense unless the output is a `SparseMatrix`).
        public let pattern: Pattern

        public var count: Int { nodes.count }
    }

    public let name: String
    public let context: ExprContext
    public private(set) var inputs: [Port]
    public let outputs: [Port]

    /// Makes a function, checking names (C identifiers, see `Identifier`), inputs and free
    /// symbols.
    ///
    /// - Throws: `FunctionError` naming the offending input, output or symbol.
    /// - Complexity: O(nodes the outputs depend on), iterative.
    public init(_ name: String, inputs: [(String, Matrix)], outputs: [(String, any FunctionOutput)]) throws {
        guard !name.isEmpty else { throw FunctionError.emptyName }
        if let problem = Identifier.problem(name) { throw FunctionError.invalidName(name, reason: problem, function: name) }
        guard let context = outputs.first?.1.context else { throw FunctionError.noOutputs(function: name) }
        var seenNames = Set<String>()
        for (portName, portContext) in inputs.map({ ($0.0, $0.1.context) }) + outputs.map({ ($0.0, $0.1.context) }) {
            if let problem = Identifier.problem(portName) { throw FunctionError.invalidName(portName, reason: problem, function: name) }
            guard seenNames.insert(portName).inserted else { throw FunctionError.duplicateName(portName, function: name) }
            guard portContext === context else { throw FunctionError.mixedContexts(port: portName, function: name) }
        }
        let graph = context.graph
        var isInput = [Bool](repeating: false, count: graph.count)
        for (portName, matrix) in inputs {
            for (k, id) in matrix.ids.enumerated() {
                guard graph.op(id) == .symbol else {
                    throw FunctionError.inputNotSymbol(input: portName, index: k, function: name)
                }
                guard !isInput[id.index] else {
                    throw FunctionError.repeatedSymbol(graph.symbolName(id)!, input: portName, function: name)
                }
                isInput[id.index] = true
            }
        }
        // One reachability pass for all outputs; only when it finds a free symbol, one per output
        // to name the first output that has one, and its lowest-id free symbol.
        if Function.firstFreeSymbol(in: graph, roots: outputs.flatMap(\.1.outputNodes), isInput: isInput) != nil {
            for (portName, output) in outputs {
                if let free = Function.firstFreeSymbol(in: graph, roots: output.outputNodes, isInput: isInput) {
                    throw FunctionError.freeSymbol(graph.symbolName(free)!, output: portName, function: name)
                }
            }
        }
        self.name = name
        self.context = context
        self.inputs = inputs.map { Port(name: $0.0, rows: $0.1.rows, cols: $0.1.cols, nodes: $0.1.ids, pattern: .dense(rows: $0.1.rows, cols: $0.1.cols)) }
        self.outputs = outputs.map { output in
            let pattern = output.1.outputPattern
            return Port(name: output.0, rows: pattern.rows, cols: pattern.cols, nodes: output.1.outputNodes, pattern: pattern)
        }
    }

    /// Makes a function whose inputs may be sparse: an input's structural nonzeros are its
    /// symbols (distinct, in storage order) and its other entries are never read. CasADi's
    /// derivative functions take the nominal outputs as inputs with no nonzeros at all.
    ///
    /// - Throws: as `init(_:inputs:outputs:)`.
    public init(_ name: String, sparseInputs: [(String, SparseMatrix)], outputs: [(String, any FunctionOutput)]) throws {
        try self.init(name, inputs: sparseInputs.map { port, matrix in
            (port, Matrix(matrix.context, rows: matrix.nonzeros.count, cols: 1, ids: matrix.nonzeros))
        }, outputs: outputs)
        inputs = zip(inputs, sparseInputs).map { port, input in
            Port(name: port.name, rows: input.1.rows, cols: input.1.cols, nodes: port.nodes, pattern: input.1.pattern)
        }
    }

    /// The lowest-id symbol reachable from `roots` that is not an input.
    private static func firstFreeSymbol(in graph: Graph, roots: [NodeID], isInput: [Bool]) -> NodeID? {
        let marked = graph.reachable(from: roots)
        for index in 0..<marked.count where marked[index] && graph.op(NodeID(index)) == .symbol && !isInput[index] {
            return NodeID(index)
        }
        return nil
    }

    /// Output `k` as a dense matrix (structural zeros as the constant 0).
    /// - Throws: `FunctionError.noSuchPort` when `k` is out of range.
    public func output(_ k: Int) throws -> Matrix {
        guard outputs.indices.contains(k) else { throw FunctionError.noSuchPort(index: k, count: outputs.count, kind: "output", function: name) }
        return SparseMatrix(pattern: outputs[k].pattern, nonzeros: outputs[k].nodes, in: context).dense()
    }

    /// Input `k` as a matrix of symbols.
    /// - Throws: `FunctionError.noSuchPort` when `k` is out of range.
    public func input(_ k: Int) throws -> Matrix {
        guard inputs.indices.contains(k) else { throw FunctionError.noSuchPort(index: k, count: inputs.count, kind: "input", function: name) }
        return Matrix(context, rows: inputs[k].rows, cols: inputs[k].cols, ids: inputs[k].nodes)
    }

    /// The index of the input or output named `name`.
    public func inputIndex(_ name: String) -> Int? { inputs.firstIndex { $0.name == name } }
    public func outputIndex(_ name: String) -> Int? { outputs.firstIndex { $0.name == name } }

    /// Number of nodes the outputs depend on, inputs and constants included.
    public var nodeCount: Int {
        context.graph.reachable(from: outputs.flatMap(\.nodes)).reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// Number of operations (nodes that are neither symbols nor constants) the outputs depend on.
    public var operationCount: Int {
        context.graph.operationCount(reachableFrom: outputs.flatMap(\.nodes))
    }

    /// SSA text of all outputs, for debugging.
    public var text: String { context.graph.text(of: outputs.flatMap(\.nodes)) }
}

extension Function.Port {
    /// This output's values, dense and column-major (structural zeros as 0), from its nonzeros.
    public func dense(_ nonzeros: [Double]) -> [Double] {
        var values = [Double](repeating: 0, count: rows * cols)
        var k = 0
        for col in 0..<pattern.cols {
            for entry in Int(pattern.columnStarts[col])..<Int(pattern.columnStarts[col + 1]) {
                values[col * rows + Int(pattern.rowIndices[entry])] = nonzeros[k]
                k += 1
            }
        }
        return values
    }
}

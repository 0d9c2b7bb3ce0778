import DiffGenAD
import DiffGenCore

/// The derivative functions of each callee (its Jacobian, its vector-Jacobian product), made
/// once and shared by every derivative of a calling function and of its derivatives, so each is
/// generated once and calls of it at the same arguments are one call.
final class DerivativeCallees {
    private var jacobians: [String: Function] = [:]
    private var products: [String: Function] = [:]

    /// `vjp_NAME`: the callee's inputs and a cotangent of its output nonzeros (`adj_out`), one
    /// output: the cotangent times the callee's Jacobian (one reverse sweep). Its own Jacobian
    /// holds the cotangent-weighted Hessian of the callee, what a Hessian through the call needs.
    func vectorJacobianProduct(of callee: Function) throws -> Function {
        if let known = products[callee.name] { return known }
        let (outputs, entries, ports) = Self.stacked(callee)
        let cotangent = callee.context.vector("\(callee.name)_adj_out", count: outputs.count)
        let product = try vjp(of: outputs, wrt: entries, cotangent: cotangent)
        let function = try Function("vjp_\(callee.name)", sparseInputs: ports + [("adj_out", SparseMatrix(pattern: .dense(rows: outputs.count, cols: 1),
                                                                                                     nonzeros: cotangent.ids, in: callee.context))],
                                    outputs: [("vjp", product)])
        products[callee.name] = function
        return function
    }

    /// `jac_NAME`: the callee's inputs, one output: the sparse Jacobian of all its output
    /// nonzeros (stacked) with respect to all its input entries (stacked).
    func jacobian(of callee: Function) throws -> Function {
        if let known = jacobians[callee.name] { return known }
        let (outputs, entries, ports) = Self.stacked(callee)
        let function = try Function("jac_\(callee.name)", sparseInputs: ports, outputs: [("jac", try sparseJacobian(of: outputs, wrt: entries))])
        jacobians[callee.name] = function
        return function
    }

    /// The callee's output nonzeros and input entries as columns, and its inputs as ports of a
    /// derivative function (the same symbols, so the same call arguments).
    private static func stacked(_ callee: Function) -> (outputs: Matrix, entries: Matrix, ports: [(String, SparseMatrix)]) {
        let context = callee.context
        let outputs = callee.outputs.flatMap(\.nodes), entries = callee.inputs.flatMap(\.nodes)
        return (Matrix(nodes: outputs, rows: outputs.count, cols: 1, in: context), Matrix(nodes: entries, rows: entries.count, cols: 1, in: context),
                callee.inputs.map { ($0.name, SparseMatrix(pattern: $0.pattern, nonzeros: $0.nodes, in: context)) })
    }
}

/// A sparse matrix of caller nodes by rows: `entries[i]` holds (column, node) with ascending columns.
struct SparseRows {
    var width: Int
    var entries: [[(col: Int, node: NodeID)]]

    init(width: Int, rows: Int) {
        self.width = width
        entries = Array(repeating: [], count: rows)
    }

    /// From a column-compressed sparse matrix.
    init(_ matrix: SparseMatrix) {
        self.init(width: matrix.cols, rows: matrix.rows)
        for (k, entry) in matrix.pattern.entries.enumerated() { entries[entry.row].append((entry.col, matrix.nonzeros[k])) }
        for i in entries.indices { entries[i].sort { $0.col < $1.col } }
    }
}

/// Sums of scaled sparse rows, with one dense accumulator reused across rows.
struct RowAccumulator {
    private var sum: [Int32]
    private var touched: [Int] = []

    init(width: Int) { sum = [Int32](repeating: -1, count: width) }

    /// `base + Σ coefficient · row`, in the caller's graph (columns ascending).
    mutating func combine(base: [(col: Int, node: NodeID)], terms: [(coefficient: NodeID, row: [(col: Int, node: NodeID)])],
                          graph: inout Graph) -> [(col: Int, node: NodeID)] {
        for (col, node) in base { add(col, node, &graph) }
        for (coefficient, row) in terms {
            for (col, node) in row { add(col, graph.make(.mul, coefficient, node), &graph) }
        }
        touched.sort()
        defer {
            for col in touched { sum[col] = -1 }
            touched.removeAll(keepingCapacity: true)
        }
        return touched.map { ($0, NodeID(sum[$0])) }
    }

    private mutating func add(_ col: Int, _ node: NodeID, _ graph: inout Graph) {
        if sum[col] < 0 {
            touched.append(col)
            sum[col] = node.raw
        } else {
            sum[col] = graph.make(.add, NodeID(sum[col]), node).raw
        }
    }
}

extension CallingFunction {
    /// The Jacobian of output `output` with respect to input `input`: a calling function with
    /// the same inputs whose one output is the sparse Jacobian (its pattern exact through the
    /// calls). The code between calls is differentiated as usual (colored sparse sweeps) and
    /// chained through the calls: a scalar output by reverse accumulation (one call of the
    /// callee's `vjp_NAME` per call, last call first), any other by forward accumulation (one
    /// call of its `jac_NAME` per call). Each such function is generated once, whatever the
    /// number of calls.
    /// - Throws: `FunctionError.noSuchPort` for a port out of range.
    public func jacobian(of output: Int, wrt input: Int, name: String? = nil) throws -> CallingFunction {
        guard outputs.indices.contains(output) else { throw FunctionError.noSuchPort(index: output, count: outputs.count, kind: "output", function: self.name) }
        guard inputs.indices.contains(input) else { throw FunctionError.noSuchPort(index: input, count: inputs.count, kind: "input", function: self.name) }
        let x = inputs[input].value.ids, results = calls.flatMap(\.results)
        let n = x.count
        // Partials of every call's arguments and of the output with respect to (x, results).
        let rows = calls.flatMap(\.arguments) + outputs[output].nodes
        let partials = SparseRows(try sparseJacobian(of: Matrix(nodes: rows, rows: rows.count, cols: 1, in: context),
                                                     wrt: Matrix(nodes: x + results, rows: n + results.count, cols: 1, in: context)))
        let recorder = try CallRecorder(continuing: calls, in: context)
        let outputRows = outputs[output].nodes.count == 1 ? [try gradientRow(partials, width: n, recorder: recorder)]
            : try forwardRows(output: output, partials, width: n, recorder: recorder)
        // Output entry i is row i of a column-major flattening of the output's pattern.
        let pattern = outputs[output].pattern
        var entries: [(row: Int, col: Int)] = [], nodeOf: [Int: NodeID] = [:]
        for (k, entry) in pattern.entries.enumerated() {
            let flat = entry.row + entry.col * pattern.rows
            for (col, node) in outputRows[k] {
                entries.append((flat, col))
                nodeOf[flat * n + col] = node
            }
        }
        let jacobianPattern = Pattern(rows: pattern.rows * pattern.cols, cols: n, entries: entries)
        let nonzeros = jacobianPattern.entries.map { nodeOf[$0.row * n + $0.col]! }
        return try CallingFunction(name ?? "jac_\(outputs[output].name)_\(inputs[input].name)_\(self.name)", inputs: inputs.map { ($0.name, $0.value) },
                                   outputs: [("jac", jacobianPattern, nonzeros)], recorded: recorder.calls, context: context,
                                   derivativeCallees: derivativeCallees)
    }

    /// The output's rows by forward accumulation: each result's total derivative with respect to
    /// x is the callee's Jacobian (a call of `jac_NAME`) times its arguments' total derivatives.
    private func forwardRows(output: Int, _ partials: SparseRows, width n: Int, recorder: CallRecorder) throws -> [[(col: Int, node: NodeID)]] {
        var accumulator = RowAccumulator(width: n)
        var total = [[(col: Int, node: NodeID)]](repeating: [], count: calls.reduce(0) { $0 + $1.results.count })
        func chained(_ row: [(col: Int, node: NodeID)]) -> [(col: Int, node: NodeID)] {
            let direct = row.filter { $0.col < n }
            let through = row.filter { $0.col >= n }.map { (coefficient: $0.node, row: total[$0.col - n]) }
            return context.withGraph { accumulator.combine(base: direct, terms: through, graph: &$0) }
        }
        var argumentRow = 0, resultRow = 0
        for call in calls {
            let argumentTotals = call.arguments.indices.map { chained(partials.entries[argumentRow + $0]) }
            argumentRow += call.arguments.count
            let jacobianCallee = try derivativeCallees.jacobian(of: call.callee)
            let index = try recorder.record(jacobianCallee, arguments: call.arguments)
            let local = SparseRows(SparseMatrix(pattern: jacobianCallee.outputs[0].pattern, nonzeros: recorder.calls[index].results, in: context))
            for (o, row) in local.entries.enumerated() {
                total[resultRow + o] = context.withGraph { graph in
                    accumulator.combine(base: [], terms: row.map { (coefficient: $0.node, row: argumentTotals[$0.col]) }, graph: &graph)
                }
            }
            resultRow += call.results.count
        }
        return outputs[output].nodes.indices.map { chained(partials.entries[argumentRow + $0]) }
    }

    /// A scalar output's gradient row by reverse accumulation, last call first: a call's
    /// arguments get their adjoints from one call of `vjp_NAME` at its results' adjoints, so the
    /// cost does not grow with the number of inputs.
    private func gradientRow(_ partials: SparseRows, width n: Int, recorder: CallRecorder) throws -> [(col: Int, node: NodeID)] {
        // Adjoints of x, then of every result.
        var adjoint = [NodeID?](repeating: nil, count: n + calls.reduce(0) { $0 + $1.results.count })
        func add(_ column: Int, _ term: NodeID) {
            let known = adjoint[column]
            adjoint[column] = context.withGraph { graph in known.map { graph.make(.add, $0, term) } ?? term }
        }
        var argumentStart: [Int] = [], resultStart: [Int] = [], (rows, results) = (0, n)
        for call in calls {
            argumentStart.append(rows)
            resultStart.append(results)
            rows += call.arguments.count
            results += call.results.count
        }
        for (col, node) in partials.entries[rows] { add(col, node) }
        let zero = context.constant(0).id
        for c in calls.indices.reversed() {
            let call = calls[c]
            let cotangent = call.results.indices.map { adjoint[resultStart[c] + $0] }
            guard cotangent.contains(where: { $0 != nil }) else { continue }
            let product = try derivativeCallees.vectorJacobianProduct(of: call.callee)
            let index = try recorder.record(product, arguments: call.arguments + cotangent.map { $0 ?? zero })
            for (a, argumentAdjoint) in recorder.calls[index].results.enumerated() {
                for (col, node) in partials.entries[argumentStart[c] + a] {
                    add(col, context.withGraph { $0.make(.mul, argumentAdjoint, node) })
                }
            }
        }
        return (0..<n).compactMap { col in adjoint[col].map { (col, $0) } }
    }

    /// The Hessian of scalar output `output` with respect to input `input`: the Jacobian of its
    /// gradient (itself a calling function, calling `vjp_NAME`), mirrored so it is exactly
    /// symmetric. Through each call it calls the Jacobian of `vjp_NAME`, which holds the callee's
    /// Hessian weighted by the call's adjoints (forward over reverse).
    /// - Throws: `MapError.notScalarSum` when the output is not 1×1, or as `jacobian(of:wrt:)`.
    public func hessian(of output: Int, wrt input: Int, name: String? = nil) throws -> CallingFunction {
        guard outputs.indices.contains(output) else { throw FunctionError.noSuchPort(index: output, count: outputs.count, kind: "output", function: self.name) }
        guard outputs[output].pattern.rows * outputs[output].pattern.cols == 1 else { throw MapError.notScalarSum(map: self.name, output: output) }
        let row = try jacobian(of: output, wrt: input)
        let n = inputs[input].value.count
        // The gradient as a column: the row's entries (0, j) become (j, 0).
        let gradientPattern = Pattern(rows: n, cols: 1, entries: row.outputs[0].pattern.entries.map { ($0.col, 0) })
        let gradient = try CallingFunction("\(self.name)_gradient", inputs: inputs.map { ($0.name, $0.value) },
                                           outputs: [("grad", gradientPattern, row.outputs[0].nodes)], recorded: row.calls, context: context,
                                           derivativeCallees: derivativeCallees)
        let full = try gradient.jacobian(of: 0, wrt: input)
        // Mirror the lower triangle onto the upper one (union of both patterns).
        let jacobianPattern = full.outputs[0].pattern
        var nodeOf: [Int: NodeID] = [:]
        for (k, entry) in jacobianPattern.entries.enumerated() { nodeOf[entry.row * n + entry.col] = full.outputs[0].nodes[k] }
        let symmetric = jacobianPattern.union(jacobianPattern.transposed())
        let nonzeros = symmetric.entries.map { entry -> NodeID in
            let (low, high) = (max(entry.row, entry.col), min(entry.row, entry.col))
            return nodeOf[low * n + high] ?? nodeOf[high * n + low]!
        }
        return try CallingFunction(name ?? "hess_\(outputs[output].name)_\(inputs[input].name)_\(self.name)", inputs: inputs.map { ($0.name, $0.value) },
                                   outputs: [("hess", symmetric, nonzeros)], recorded: full.calls, context: context,
                                   derivativeCallees: derivativeCallees)
    }
}

import DiffGenCore

/// Writes functions as a model file: DiffGen's serialization format. Reading the text back
/// (`Model(text:)`) builds the same graph, node for node.
///
/// Nodes used more than once become named definitions (`let t12 = …`), and so do nodes whose
/// inlined text would nest deeper than `maxInlineDepth`, so the text never nests deeper than the
/// parser accepts. One pass in id order: no recursion, time linear in the graph.
public enum ModelPrinter {
    static let maxInlineDepth = 12

    /// Why functions cannot be written as one model.
    public enum PrintError: Error, CustomStringConvertible, Equatable {
        case noFunctions
        case mixedContexts
        case conflictingInput(String)

        public var description: String {
            switch self {
            case .noFunctions: return "no functions to write"
            case .mixedContexts: return "the functions were built in different ExprContexts"
            case .conflictingInput(let name): return "two functions have an input named '\(name)' made of different symbols"
            }
        }
    }

    public static func text(of functions: [Function]) throws -> String {
        guard let context = functions.first?.context else { throw PrintError.noFunctions }
        guard functions.allSatisfy({ $0.context === context }) else { throw PrintError.mixedContexts }
        let graph = context.graph
        var out = "# Written by DiffGen: \(functions.map(\.name).joined(separator: ", ")).\n"
        // Inputs, each once; a symbol's spelling is its input entry.
        var inputs: [Function.Port] = []
        var spelled: [Int32: String] = [:]
        for function in functions {
            for port in function.inputs {
                if let existing = inputs.first(where: { $0.name == port.name }) {
                    guard existing.nodes == port.nodes else { throw PrintError.conflictingInput(port.name) }
                    continue
                }
                inputs.append(port)
                if port.rows == 1 && port.cols == 1 {
                    out += "input \(port.name)\n"
                } else if port.cols == 1 {
                    out += "input \(port.name)[\(port.rows)]\n"
                } else {
                    out += "input \(port.name)[\(port.rows), \(port.cols)]\n"
                }
                for (k, node) in port.nodes.enumerated() {
                    let entry = port.rows == 1 && port.cols == 1 ? port.name
                        : port.cols == 1 ? "\(port.name)[\(k)]" : "\(port.name)[\(k % port.rows), \(k / port.rows)]"
                    spelled[node.raw] = entry
                }
            }
        }
        // Output names: the port's, or function_port where two functions share one.
        var portCounts: [String: Int] = [:]
        for function in functions { for port in function.outputs { portCounts[port.name, default: 0] += 1 } }
        func outputName(_ function: Function, _ port: Function.Port) -> String {
            portCounts[port.name]! > 1 ? "\(function.name)_\(port.name)" : port.name
        }
        let roots = functions.flatMap { $0.outputs.flatMap(\.nodes) }
        let needed = graph.reachable(from: roots)
        var uses = [Int32](repeating: 0, count: needed.count)
        for index in 0..<needed.count where needed[index] {
            let id = NodeID(index)
            for k in 0..<graph.op(id).operandCount { uses[graph.operand(k, of: id).index] += 1 }
        }
        for root in roots { uses[root.index] += 2 }  // outputs refer to their nodes by name
        // texts[i]: how node i is spelled where it is used; depth: its inline nesting.
        var texts = [String?](repeating: nil, count: needed.count)
        var definitions = 0
        var depth = [UInt8](repeating: 0, count: needed.count)
        for index in 0..<needed.count where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            switch op {
            case .symbol:
                texts[index] = spelled[id.raw] ?? graph.symbolName(id)!
                continue
            case .constant:
                texts[index] = literal(graph.constantValue(id)!)
                continue
            default: break
            }
            var operands: [String] = []
            var deepest: UInt8 = 0
            for k in 0..<op.operandCount {
                let operand = graph.operand(k, of: id).index
                operands.append(texts[operand]!)
                deepest = max(deepest, depth[operand])
                // A single-use operand's text is needed no more.
                if uses[operand] == 1 { texts[operand] = nil }
            }
            let text = expression(op, operands, exponent: op == .powi ? graph.powiExponent(id) : 0)
            if uses[index] > 1 || Int(deepest) + 1 >= maxInlineDepth {
                out += "let t\(definitions) = \(text)\n"
                texts[index] = "t\(definitions)"
                definitions += 1
                depth[index] = 0
            } else {
                texts[index] = "(\(text))"
                depth[index] = deepest + 1
            }
        }
        for function in functions {
            for port in function.outputs {
                let entries = port.nodes.map { texts[$0.index]! }
                let dense = port.pattern.nonzeroCount == port.rows * port.cols
                let value: String
                if dense {
                    // Column-major entries as a matrix literal, row by row.
                    let rows = (0..<port.rows).map { i in (0..<port.cols).map { j in entries[j * port.rows + i] }.joined(separator: ", ") }
                    value = port.rows * port.cols == 1 ? entries[0] : "[\(rows.joined(separator: "; "))]"
                } else {
                    var rowIndices: [String] = [], colIndices: [String] = []
                    for col in 0..<port.pattern.cols {
                        for k in Int(port.pattern.columnStarts[col])..<Int(port.pattern.columnStarts[col + 1]) {
                            rowIndices.append(String(port.pattern.rowIndices[k]))
                            colIndices.append(String(col))
                        }
                    }
                    func column(_ items: [String]) -> String { items.isEmpty ? "zeros(0)" : "[\(items.joined(separator: "; "))]" }
                    value = "sparse(\(port.rows), \(port.cols), \(column(rowIndices)), \(column(colIndices)), \(column(entries)))"
                }
                out += "output \(outputName(function, port)) = \(value)\n"
            }
        }
        for function in functions {
            let ins = function.inputs.map(\.name).joined(separator: ", ")
            let outs = function.outputs.map { outputName(function, $0) }.joined(separator: ", ")
            out += "function \(function.name)(\(ins)) -> (\(outs))\n"
        }
        return out
    }

    /// A number as the language reads it back exactly.
    static func literal(_ value: Double) -> String {
        if value.isNaN {
            // The graph keeps NaNs apart by their bits; so does the text.
            if value.bitPattern == Double.nan.bitPattern { return "nan" }
            if value.bitPattern == (-Double.nan).bitPattern { return "(-nan)" }
            return "bits(\(value.bitPattern >> 32), \(value.bitPattern & 0xffff_ffff))"
        }
        if value.isInfinite { return value > 0 ? "inf" : "(-inf)" }
        let text = "\(value.magnitude)"
        return value.sign == .minus ? "(-\(text))" : text
    }

    private static func expression(_ op: Op, _ x: [String], exponent: Int32) -> String {
        switch op {
        case .add: return "\(x[0]) + \(x[1])"
        case .sub: return "\(x[0]) - \(x[1])"
        case .mul: return "\(x[0]) .* \(x[1])"
        case .div: return "\(x[0]) / \(x[1])"
        case .neg: return "-\(x[0])"
        case .lt: return "\(x[0]) < \(x[1])"
        case .le: return "\(x[0]) <= \(x[1])"
        case .eq: return "\(x[0]) == \(x[1])"
        case .ne: return "\(x[0]) != \(x[1])"
        case .and: return "\(x[0]) && \(x[1])"
        case .or: return "\(x[0]) || \(x[1])"
        case .not: return "!\(x[0])"
        case .powi: return "\(x[0]) ^ \(exponent < 0 ? "(\(exponent))" : "\(exponent)")"
        case .constant, .symbol:
            preconditionFailure("leaves are spelled, not printed as operations")
        case .pow, .sq, .sqrt, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh,
             .asinh, .acosh, .atanh, .abs, .sign, .copysign, .floor, .ceil, .fmod, .fmin, .fmax, .hypot, .erf, .ifElse:
            return "\(op.name)(\(x.joined(separator: ", ")))"
        }
    }
}

import DiffGenAD
import DiffGenCore

/// The functions and constants a model can call without defining them. Every op of `Op` is a
/// function under its own name (derived from `Op.allCases`, so a new op is callable at once),
/// elementwise, with a 1×1 operand broadcast against a matrix.
enum Builtins {
    static let constants: [String: Double] = ["pi": .pi, "inf": .infinity, "nan": .nan]

    /// Ops callable by name: all but leaves and `powi` (integer powers are written `x^n`).
    static let ops: [String: Op] = Dictionary(uniqueKeysWithValues: Op.allCases.compactMap { op in
        op == .constant || op == .symbol || op == .powi ? nil : (op.name, op)
    })

    static let matrixFunctions: Set<String> = [
        "transpose", "dot", "cross", "norm", "sum", "vertcat", "horzcat", "zeros", "ones", "eye", "reshape", "rows", "cols",
        "rotx", "roty", "rotz", "dh", "mdh", "translation", "homogeneous", "iterate", "sparse", "bits",
    ]

    static let derivatives: Set<String> = [
        "jacobian", "sparse_jacobian", "gradient", "hessian", "sparse_hessian", "lagrangian_hessian",
        "sparse_lagrangian_hessian", "jvp", "vjp", "hvp",
    ]

    static func isFunction(_ name: String) -> Bool {
        ops[name] != nil || matrixFunctions.contains(name) || derivatives.contains(name)
    }

    /// `op` entry by entry; numbers fold to numbers with the graph's own semantics.
    static func apply(_ op: Op, _ values: [Value], in context: ExprContext, at location: SourceLocation, evaluator: Evaluator) throws -> Value {
        let numbers = values.compactMap { value -> Double? in if case .number(let v) = value { return v } else { return nil } }
        if numbers.count == values.count {
            let v = numbers + [0, 0, 0]
            return .number(ScalarSemantics.evaluate(op, v[0], v[1], v[2], literal: 0))
        }
        let matrices = values.map { $0.matrix(in: context) }
        var shape: (rows: Int, cols: Int) = (1, 1)
        for m in matrices where m.count != 1 {
            if shape == (1, 1) {
                shape = (m.rows, m.cols)
            } else if shape != (m.rows, m.cols) {
                let shapes = matrices.map { "\($0.rows)×\($0.cols)" }.joined(separator: " and ")
                throw evaluator.error("shape mismatch in \(op.name): \(shapes)", location)
            }
        }
        let count = shape.rows * shape.cols
        var nodes: [NodeID] = []
        nodes.reserveCapacity(count)
        context.withGraph { graph in
            for k in 0..<count {
                let operands = matrices.map { $0.count == 1 ? $0.ids[0] : $0.ids[k] }
                switch operands.count {
                case 1: nodes.append(graph.make(op, operands[0]))
                case 2: nodes.append(graph.make(op, operands[0], operands[1]))
                default: nodes.append(graph.ifElse(operands[0], operands[1], operands[2]))
                }
            }
        }
        return .matrix(Matrix(nodes: nodes, rows: shape.rows, cols: shape.cols, in: context))
    }

    /// `x ^ y`: a whole-number exponent up to 64 is repeated multiplication, as in the DSL.
    static func power(_ x: Value, _ y: Value, in context: ExprContext, at location: SourceLocation, evaluator: Evaluator) throws -> Value {
        if case .number(let n) = y, n == n.rounded(), abs(n) <= Double(ScalarSemantics.maxPowiExponent) {
            if case .number(let base) = x { return .number(ScalarSemantics.powi(base, Int32(n))) }
            return .matrix(x.matrix(in: context).applying { pow($0, Int(n)) })
        }
        return try apply(.pow, [x, y], in: context, at: location, evaluator: evaluator)
    }

    static func call(_ name: String, _ arguments: [Syntax], at location: SourceLocation, evaluator: inout Evaluator) throws -> Value {
        let context = evaluator.context
        func expectCount(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(arguments.count) else {
                let wanted = counts.count == 1 ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)"
                throw evaluator.error("'\(name)' takes \(wanted) argument\(counts.upperBound == 1 ? "" : "s"), got \(arguments.count)", location)
            }
        }
        func values() throws -> [Value] { try arguments.map { try evaluator.evaluate($0) } }
        func number(_ k: Int) throws -> Double {
            guard case .number(let v) = try evaluator.evaluate(arguments[k]) else {
                throw evaluator.error("argument \(k + 1) of '\(name)' must be a number known before the model is built", arguments[k].location)
            }
            return v
        }
        func scalar(_ value: Value, _ k: Int) throws -> Expr {
            guard value.shape == (1, 1) else { throw evaluator.error("argument \(k + 1) of '\(name)' must be a scalar, not \(value.shapeText)", arguments[k].location) }
            return value.matrix(in: context)[0]
        }
        if let op = ops[name] {
            try expectCount(op.operandCount...op.operandCount)
            return try apply(op, try values(), in: context, at: location, evaluator: evaluator)
        }
        if derivatives.contains(name) { return try derivative(name, arguments, at: location, evaluator: &evaluator) }
        switch name {
        case "sum":
            try expectCount(1...1)
            if case .comprehension(let body, let variable, let start, let end) = arguments[0].kind {
                // Σ of the terms, first term first (no leading zero).
                var total: Value? = nil
                let evaluatorCopy = evaluator
                try evaluator.forEach(variable, start, end) { inner in
                    let term = try inner.evaluate(body)
                    total = try total.map { try apply(.add, [$0, term], in: context, at: location, evaluator: evaluatorCopy) } ?? term
                }
                guard let total else { throw evaluator.error("the range is empty: nothing to sum", arguments[0].location) }
                return total
            }
            let value = try evaluator.evaluate(arguments[0])
            if case .number = value { return value }
            return .matrix(Matrix(value.matrix(in: context).sum()))
        case "iterate":
            // iterate(f, x0, K): x_{k+1} = f(x_k), K times; a loop, not K nested calls.
            try expectCount(3...3)
            guard case .name(let function) = arguments[0].kind, evaluator.functions[function] != nil else {
                throw evaluator.error("the first argument of 'iterate' must name a function defined with 'def'", arguments[0].location)
            }
            var x = try evaluator.evaluate(arguments[1])
            let count = try evaluator.integer(arguments[2], "the number of steps")
            guard count >= 0 else { throw evaluator.error("'iterate' cannot take \(count) steps", arguments[2].location) }
            for _ in 0..<count { x = try evaluator.invoke(function, [x], at: location) }
            return x
        case "sparse":
            // sparse(rows, cols, [i…], [j…], [v…]): the nonzeros v at (i, j), as the printer writes
            // sparse outputs.
            try expectCount(5...5)
            let rows = try evaluator.integer(arguments[0], "the number of rows"), cols = try evaluator.integer(arguments[1], "the number of columns")
            let v = try values()
            let (rowList, colList, nonzeros) = (v[2].matrix(in: context), v[3].matrix(in: context), v[4].matrix(in: context))
            guard rowList.count == colList.count && colList.count == nonzeros.count else {
                throw evaluator.error("'sparse' needs as many rows, columns and values (\(rowList.count), \(colList.count), \(nonzeros.count))", location)
            }
            var entries: [(row: Int, col: Int)] = []
            for k in 0..<rowList.count {
                guard let i = context.graph.constantValue(rowList.ids[k]), let j = context.graph.constantValue(colList.ids[k]),
                      i == i.rounded(), j == j.rounded(), i >= 0, j >= 0, Int(i) < rows, Int(j) < cols else {
                    throw evaluator.error("entry \(k) of 'sparse' is not a position inside \(rows)×\(cols)", location)
                }
                entries.append((Int(i), Int(j)))
            }
            let pattern = Pattern(rows: rows, cols: cols, entries: entries)
            guard pattern.nonzeroCount == entries.count else { throw evaluator.error("'sparse' names a position twice", location) }
            var ordered = [NodeID](repeating: nonzeros.count > 0 ? nonzeros.ids[0] : context.constant(0).id, count: entries.count)
            for (k, entry) in entries.enumerated() { ordered[pattern.index(row: entry.row, col: entry.col)!] = nonzeros.ids[k] }
            return .sparse(SparseMatrix(pattern: pattern, nonzeros: ordered, in: context))
        case "bits":
            // bits(high, low): the double with these two 32-bit halves (how NaN payloads are written).
            try expectCount(2...2)
            let (high, low) = (try evaluator.integer(arguments[0], "the high half"), try evaluator.integer(arguments[1], "the low half"))
            guard (0..<(1 << 32)).contains(high) && (0..<(1 << 32)).contains(low) else {
                throw evaluator.error("'bits' takes two 32-bit halves", location)
            }
            return .number(Double(bitPattern: UInt64(high) << 32 | UInt64(low)))
        case "transpose":
            try expectCount(1...1)
            return .matrix(try evaluator.evaluate(arguments[0]).matrix(in: context).transposed())
        case "dot", "cross":
            try expectCount(2...2)
            let (a, b) = (try evaluator.evaluate(arguments[0]).matrix(in: context), try evaluator.evaluate(arguments[1]).matrix(in: context))
            return try evaluator.shaped(at: location) { name == "dot" ? .matrix(Matrix(try a.dot(b))) : .matrix(try a.cross(b)) }
        case "norm":
            try expectCount(1...1)
            return .matrix(Matrix(try evaluator.evaluate(arguments[0]).matrix(in: context).norm()))
        case "vertcat", "horzcat":
            let parts = try values().map { $0.matrix(in: context) }
            guard !parts.isEmpty else { throw evaluator.error("'\(name)' needs at least one argument", location) }
            return try evaluator.shaped(at: location) { .matrix(name == "vertcat" ? try Matrix.vertical(parts) : try Matrix.horizontal(parts)) }
        case "zeros", "ones":
            try expectCount(1...2)
            let rows = try evaluator.integer(arguments[0], "the number of rows")
            let cols = arguments.count > 1 ? try evaluator.integer(arguments[1], "the number of columns") : 1
            guard rows >= 0 && cols >= 0 && rows * cols <= 1 << 26 else { throw evaluator.error("\(rows)×\(cols) is not a size '\(name)' can make", location) }
            return .matrix(Matrix(context, rows: rows, cols: cols, filledWith: name == "zeros" ? 0 : 1))
        case "eye":
            try expectCount(1...1)
            let n = try evaluator.integer(arguments[0], "the size")
            guard n >= 0 && n <= 1 << 13 else { throw evaluator.error("\(n) is not a size 'eye' can make", location) }
            return .matrix(Matrix.identity(n, in: context))
        case "reshape":
            try expectCount(3...3)
            let m = try evaluator.evaluate(arguments[0]).matrix(in: context)
            let rows = try evaluator.integer(arguments[1], "the number of rows"), cols = try evaluator.integer(arguments[2], "the number of columns")
            return try evaluator.shaped(at: location) { .matrix(try m.reshaped(rows: rows, cols: cols)) }
        case "rows", "cols":
            try expectCount(1...1)
            let shape = try evaluator.evaluate(arguments[0]).shape
            return .number(Double(name == "rows" ? shape.rows : shape.cols))
        case "rotx", "roty", "rotz":
            try expectCount(1...1)
            let angle = try scalar(try evaluator.evaluate(arguments[0]), 0)
            return .matrix(name == "rotx" ? Matrix.rotationX(angle) : name == "roty" ? Matrix.rotationY(angle) : Matrix.rotationZ(angle))
        case "dh", "mdh":
            try expectCount(4...4)
            let (a, d, alpha) = (try number(0), try number(1), try number(2))
            let theta = try scalar(try evaluator.evaluate(arguments[3]), 3)
            return .matrix(name == "dh" ? Matrix.standardDH(a: a, d: d, alpha: alpha, theta: theta) : Matrix.modifiedDH(a: a, d: d, alpha: alpha, theta: theta))
        case "translation":
            try expectCount(3...3)
            let v = try values()
            return .matrix(Matrix.translation(try scalar(v[0], 0), try scalar(v[1], 1), try scalar(v[2], 2)))
        case "homogeneous":
            try expectCount(2...2)
            let v = try values()
            return try evaluator.shaped(at: location) { .matrix(try Matrix.homogeneous(rotation: v[0].matrix(in: context), translation: v[1].matrix(in: context))) }
        default:
            throw evaluator.error("unknown function '\(name)'", location)
        }
    }

    private static func derivative(_ name: String, _ arguments: [Syntax], at location: SourceLocation, evaluator: inout Evaluator) throws -> Value {
        let context = evaluator.context
        let counts: [String: Int] = ["jvp": 3, "vjp": 3, "hvp": 3, "lagrangian_hessian": 5, "sparse_lagrangian_hessian": 5]
        let expected = counts[name] ?? 2
        guard arguments.count == expected else {
            throw evaluator.error("'\(name)' takes \(expected) arguments, got \(arguments.count)", location)
        }
        // The variable: an input, named as it is.
        let wrtSyntax = arguments[name.hasSuffix("lagrangian_hessian") ? 2 : 1]
        guard case .name(let wrtName) = wrtSyntax.kind, let x = evaluator.inputs[wrtName] else {
            throw evaluator.error("'\(name)' differentiates with respect to an input; this is not the name of an input", wrtSyntax.location)
        }
        let f = try evaluator.evaluate(arguments[0]).matrix(in: context)
        func scalarF() throws -> Expr {
            guard f.count == 1 else { throw evaluator.error("'\(name)' needs a scalar function, not \(f.rows)×\(f.cols)", arguments[0].location) }
            return f[0]
        }
        do {
            switch name {
            case "jacobian": return .matrix(try jacobian(of: f, wrt: x))
            case "sparse_jacobian": return .sparse(try sparseJacobian(of: f, wrt: x))
            case "gradient": return .matrix(try gradient(of: try scalarF(), wrt: x))
            case "hessian": return .matrix(try hessian(of: try scalarF(), wrt: x))
            case "sparse_hessian": return .sparse(try sparseHessian(of: try scalarF(), wrt: x))
            case "jvp", "vjp", "hvp":
                let v = try evaluator.evaluate(arguments[2]).matrix(in: context)
                if name == "jvp" { return .matrix(try jvp(of: f, wrt: x, along: v)) }
                if name == "vjp" { return .matrix(try vjp(of: f, wrt: x, cotangent: v)) }
                return .matrix(try hvp(of: try scalarF(), wrt: x, along: v))
            default:
                let g = try evaluator.evaluate(arguments[1]).matrix(in: context)
                let lambda = try evaluator.evaluate(arguments[3]).matrix(in: context)
                let sigmaValue = try evaluator.evaluate(arguments[4])
                guard sigmaValue.shape == (1, 1) else { throw evaluator.error("the objective weight must be a scalar", arguments[4].location) }
                let sigma = sigmaValue.matrix(in: context)[0]
                if name == "sparse_lagrangian_hessian" {
                    return .sparse(try sparseLagrangianHessian(objective: try scalarF(), constraints: g, wrt: x, objectiveWeight: sigma, multipliers: lambda))
                }
                return .matrix(try lagrangianHessian(objective: try scalarF(), constraints: g, wrt: x, objectiveWeight: sigma, multipliers: lambda))
            }
        } catch let error as DifferentiationError {
            throw evaluator.error("\(name): \(error)", location)
        } catch let error as ShapeError {
            throw evaluator.error(error.description, location)
        }
    }
}

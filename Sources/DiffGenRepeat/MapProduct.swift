import DiffGenAD
import DiffGenCore

/// One function computed from a map: a helper evaluated once per instance, each of its output
/// nonzeros added into a place of an outer output. Generate it with `generate` or compile it
/// with `compiled`.
public struct MapProduct {
    public let name: String
    public let map: MappedFunction
    /// Evaluated per instance: the body, or one of its derivatives.
    let helper: Function
    /// For each outer output: its name, its pattern, and where helper output p's nonzero e of
    /// instance k goes (`positions[p][k * E + e]`, E = helper output p's nonzero count).
    let outputs: [(name: String, pattern: Pattern)]
    let positions: [[Int32]]

    /// The sparsity pattern of output `k`.
    public func outputPattern(_ k: Int) -> Pattern { outputs[k].pattern }

    /// The map's value: each body output, stacked or summed.
    public static func value(of map: MappedFunction, name: String? = nil) -> MapProduct {
        var outputs: [(name: String, pattern: Pattern)] = [], positions: [[Int32]] = []
        for port in map.body.outputs {
            let body = port.pattern.entries
            var entries: [(row: Int, col: Int)] = []
            for k in 0..<(map.reduction == .stack ? map.count : 1) {
                entries += body.map { ($0.row, $0.col + k * port.cols) }
            }
            let pattern = Pattern(rows: port.rows, cols: map.reduction == .stack ? port.cols * map.count : port.cols, entries: entries)
            outputs.append((port.name, pattern))
            positions.append(place(map, count: body.count, pattern: pattern) { k, e in
                (body[e].row, body[e].col + (map.reduction == .stack ? k * port.cols : 0))
            })
        }
        return MapProduct(name: name ?? map.name, map: map, helper: map.body, outputs: outputs, positions: positions)
    }

    /// The sparse Jacobian of outer output `output` with respect to outer input `input`.
    /// - Throws: `MapError` for an unknown port or an irregular placement.
    public static func jacobian(of map: MappedFunction, output: Int, wrt input: Int, name: String? = nil) throws -> MapProduct {
        guard map.body.outputs.indices.contains(output) else { throw MapError.invalidOutput(map: map.name, output: output) }
        guard map.inputs.indices.contains(input) else { throw MapError.invalidInput(map: map.name, input: input) }
        let (local, variables) = try localVariables(map, input: input)
        let bodyOutput = try map.body.output(output)
        let jacobian = try sparseJacobian(of: try Matrix(column: bodyOutput.elements), wrt: variables)
        let helper = try Function("\(map.name)_jac_\(output)_\(input)_body", inputs: try bodyInputs(map),
                                  outputs: [("jac", jacobian)])
        let m = bodyOutput.count
        let body = jacobian.pattern.entries
        let rows = map.reduction == .stack ? m * map.count : m
        let locate = { (k: Int, e: Int) -> (Int, Int) in
            let (b, a) = local[body[e].col]
            return ((map.reduction == .stack ? k * m : 0) + body[e].row, map.outerIndex(bodyInput: b, entry: a, instance: k))
        }
        return try derived(map, helper: helper, outputName: "jac", rows: rows, cols: map.inputs[input].size, count: body.count,
                           name: name ?? "\(map.name)_jac", locate: locate)
    }

    /// The sparse Hessian of a summed scalar output with respect to outer input `input`: the
    /// body's Hessian blocks, added where windows overlap.
    /// - Throws: `MapError` unless the output is a scalar summed over instances.
    public static func hessian(of map: MappedFunction, output: Int, wrt input: Int, name: String? = nil) throws -> MapProduct {
        guard map.body.outputs.indices.contains(output) else { throw MapError.invalidOutput(map: map.name, output: output) }
        guard map.inputs.indices.contains(input) else { throw MapError.invalidInput(map: map.name, input: input) }
        guard map.reduction == .sum, map.body.outputs[output].count == 1 else { throw MapError.notScalarSum(map: map.name, output: output) }
        let (local, variables) = try localVariables(map, input: input)
        let hessian = try sparseHessian(of: try map.body.output(output)[0], wrt: variables)
        let helper = try Function("\(map.name)_hess_\(output)_\(input)_body", inputs: try bodyInputs(map),
                                  outputs: [("hess", hessian)])
        let body = hessian.pattern.entries
        let n = map.inputs[input].size
        let locate = { (k: Int, e: Int) -> (Int, Int) in
            let (b1, a1) = local[body[e].row], (b2, a2) = local[body[e].col]
            return (map.outerIndex(bodyInput: b1, entry: a1, instance: k), map.outerIndex(bodyInput: b2, entry: a2, instance: k))
        }
        return try derived(map, helper: helper, outputName: "hess", rows: n, cols: n, count: body.count,
                           name: name ?? "\(map.name)_hess", locate: locate)
    }

    /// The body inputs reading outer input `input`, entry by entry: (body input, entry) per
    /// local variable, and the variables as one column.
    private static func localVariables(_ map: MappedFunction, input: Int) throws -> ([(Int, Int)], Matrix) {
        var local: [(Int, Int)] = [], expressions: [Expr] = []
        for (b, window) in map.windows.enumerated() where window.input == input {
            let matrix = try map.body.input(b)
            for a in 0..<matrix.count {
                local.append((b, a))
                expressions.append(matrix[a])
            }
        }
        guard !local.isEmpty else { throw MapError.invalidInput(map: map.name, input: input) }
        return (local, try Matrix(column: expressions))
    }

    private static func bodyInputs(_ map: MappedFunction) throws -> [(String, Matrix)] {
        try map.body.inputs.indices.map { (map.body.inputs[$0].name, try map.body.input($0)) }
    }

    private static func derived(_ map: MappedFunction, helper: Function, outputName: String, rows: Int, cols: Int, count: Int,
                                name: String, locate: (Int, Int) -> (Int, Int)) throws -> MapProduct {
        var entries: [(row: Int, col: Int)] = []
        entries.reserveCapacity(map.count * count)
        for k in 0..<map.count { for e in 0..<count { entries.append(locate(k, e)) } }
        let pattern = Pattern(rows: rows, cols: cols, entries: entries)
        let positions = place(map, count: count, pattern: pattern, locate: locate)
        return MapProduct(name: name, map: map, helper: helper, outputs: [(outputName, pattern)], positions: [positions])
    }

    /// Positions in `pattern`'s nonzeros of each instance's `count` helper nonzeros.
    private static func place(_ map: MappedFunction, count: Int, pattern: Pattern, locate: (Int, Int) -> (Int, Int)) -> [Int32] {
        var positions = [Int32](repeating: 0, count: map.count * count)
        for k in 0..<map.count {
            for e in 0..<count {
                let (row, col) = locate(k, e)
                positions[k * count + e] = Int32(pattern.index(row: row, col: col)!)
            }
        }
        return positions
    }
}

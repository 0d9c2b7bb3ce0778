import DiffGenCore

/// The derivative functions `casadi.external` looks for beside a loaded function `f`, so CasADi
/// differentiates it exactly instead of giving up or taking finite differences:
///
/// - `jac_f`: f's inputs, then each output as an input with no nonzeros (`out_<o>`); one output
///   `jac_<o>_<i>` per output/input pair, numel(o)×numel(i), holding the structural nonzeros.
/// - `fwd<N>_f`: f's inputs, the `out_<o>`, then N forward seeds per input side by side
///   (`fwd_<i>`, rows × N·cols); outputs `fwd_<o>`, the N directional derivatives side by side.
/// - `adj<N>_f`: f's inputs, the `out_<o>`, then N adjoint seeds per output (`adj_<o>`); outputs
///   `adj_<i>`, the N vector-Jacobian products side by side.
///
/// Applied again to each of those, the same rules give what CasADi asks for second derivatives
/// (an exact Lagrangian Hessian through `nlpsol` uses `fwd1_adj1_f`, and `jac_adj1_f`'s sparsity).
public enum CasADiDerivatives {
    /// f's derivative functions: `jac_f` and `fwdN_f`, `adjN_f` for each N in `directions`; with
    /// `order` 2, also the same set for each of them (`jac_jac_f`, `fwd1_adj1_f`, …).
    public static func functions(of f: Function, directions: [Int] = [1], order: Int = 2) throws -> [Function] {
        precondition(order >= 1 && directions.allSatisfy { $0 >= 1 }, "order ≥ 1 and directions ≥ 1")
        var level = [f], all: [Function] = []
        for _ in 0..<order {
            var next: [Function] = []
            for g in level {
                next.append(try jacobian(of: g))
                for n in directions { next.append(try forward(of: g, directions: n)) }
                for n in directions { next.append(try reverse(of: g, directions: n)) }
            }
            all += next
            level = next
        }
        return all
    }

    /// `jac_f`.
    public static func jacobian(of f: Function) throws -> Function {
        let context = f.context
        let outputs = column(f.outputs.flatMap(\.nodes), context), inputs = column(f.inputs.flatMap(\.nodes), context)
        let whole = try sparseJacobian(of: outputs, wrt: inputs)
        var blocks: [(String, any FunctionOutput)] = []
        var rowStart = 0
        for o in f.outputs {
            var columnStart = 0
            for i in f.inputs {
                blocks.append(("jac_\(o.name)_\(i.name)", block(whole, rows: rowStart..<(rowStart + o.count), of: o.pattern,
                                                                  columns: columnStart..<(columnStart + i.count), of: i.pattern)))
                columnStart += i.count
            }
            rowStart += o.count
        }
        return try Function("jac_\(f.name)", sparseInputs: arguments(f), outputs: blocks)
    }

    /// `fwd<n>_f`: seeds per input, directional derivatives per output.
    public static func forward(of f: Function, directions n: Int) throws -> Function {
        try directional(f, n, kind: "fwd", seeded: f.inputs, results: f.outputs) { outputs, inputs, seeds in
            try jvp(of: outputs, wrt: inputs, along: seeds)
        }
    }

    /// `adj<n>_f`: seeds per output, vector-Jacobian products per input.
    public static func reverse(of f: Function, directions n: Int) throws -> Function {
        try directional(f, n, kind: "adj", seeded: f.outputs, results: f.inputs) { outputs, inputs, seeds in
            try vjp(of: outputs, wrt: inputs, cotangents: seeds)
        }
    }

    /// `<kind><n>_f`: f's arguments, then n seeds side by side for each of the `seeded` ports;
    /// one output for each of the `results` ports, its n results side by side.
    private static func directional(_ f: Function, _ n: Int, kind: String, seeded: [Function.Port], results: [Function.Port],
                                    _ differentiate: (Matrix, Matrix, [Matrix]) throws -> [Matrix]) throws -> Function {
        let context = f.context
        let prefix = seedPrefix(kind, f)
        let seeds = seeded.map { seed(prefix + $0.name, $0, n, context) }
        let outputs = column(f.outputs.flatMap(\.nodes), context), inputs = column(f.inputs.flatMap(\.nodes), context)
        let values = try differentiate(outputs, inputs, perDirection(seeds, n, context))
        return try Function("\(kind)\(n)_\(f.name)", sparseInputs: arguments(f) + zip(seeded, seeds).map { (prefix + $0.name, $1) },
                            outputs: sideBySide(results, values.map(\.ids), n, prefix: prefix, context))
    }

    /// The prefix of seed and result names, as CasADi spells it: `fwd_` (or `adj_`), unless f's
    /// ports already carry such names (`fwd_x`, `fwd3_x`), then one index higher (`fwd2_`, `fwd4_`).
    static func seedPrefix(_ kind: String, _ f: Function) -> String {
        var highest = 0
        for name in (f.inputs + f.outputs).map(\.name) where name.hasPrefix(kind) {
            guard let underscore = name.firstIndex(of: "_") else { continue }
            let digits = name[name.index(name.startIndex, offsetBy: kind.count)..<underscore]
            if digits.isEmpty { highest = max(highest, 1) } else if let index = Int(digits) { highest = max(highest, index) }
        }
        return highest == 0 ? kind + "_" : kind + "\(highest + 1)_"
    }

    /// f's inputs as they are, then each output as an input with no nonzeros.
    private static func arguments(_ f: Function) -> [(String, SparseMatrix)] {
        f.inputs.map { ($0.name, SparseMatrix(pattern: $0.pattern, nonzeros: $0.nodes, in: f.context)) }
            + f.outputs.map { ("out_\($0.name)", SparseMatrix(pattern: Pattern(rows: $0.rows, cols: $0.cols, entries: []), nonzeros: [], in: f.context)) }
    }

    /// Direction d's seeds of every port, one after another: the d-th of each port's n blocks.
    private static func perDirection(_ seeds: [SparseMatrix], _ n: Int, _ context: ExprContext) -> [Matrix] {
        (0..<n).map { d in
            column(seeds.flatMap { seed in
                let size = seed.nonzeros.count / n
                return Array(seed.nonzeros[(d * size)..<((d + 1) * size)])
            }, context)
        }
    }

    /// n copies of `port`'s pattern side by side, filled with new symbols.
    private static func seed(_ name: String, _ port: Function.Port, _ n: Int, _ context: ExprContext) -> SparseMatrix {
        let pattern = repeated(port.pattern, n)
        let symbols = context.vector(name, count: pattern.nonzeroCount)
        return SparseMatrix(pattern: pattern, nonzeros: symbols.ids, in: context)
    }

    /// For each port, its n directions' values (`values[d]` lists every port's nonzeros in turn)
    /// side by side in n copies of its pattern.
    private static func sideBySide(_ ports: [Function.Port], _ values: [[NodeID]], _ n: Int, prefix: String,
                                   _ context: ExprContext) -> [(String, any FunctionOutput)] {
        var start = 0
        return ports.map { port in
            defer { start += port.count }
            let nonzeros = (0..<n).flatMap { values[$0][start..<(start + port.count)] }
            return (prefix + port.name, SparseMatrix(pattern: repeated(port.pattern, n), nonzeros: nonzeros, in: context))
        }
    }

    /// `pattern` n times side by side.
    private static func repeated(_ pattern: Pattern, _ n: Int) -> Pattern {
        let nnz = Int32(pattern.nonzeroCount)
        var starts: [Int32] = [0], rows: [Int32] = []
        for d in 0..<n {
            starts += pattern.columnStarts.dropFirst().map { $0 + Int32(d) * nnz }
            rows += pattern.rowIndices
        }
        return Pattern(rows: pattern.rows, cols: pattern.cols * n, columnStarts: starts, rowIndices: rows)
    }

    /// The block of `whole` (rows and columns indexed by stored entries of the output and input)
    /// as a numel(output) × numel(input) matrix: stored entry k of a pattern sits at its
    /// column-major position. Positions grow with k, so the block's storage order is kept.
    private static func block(_ whole: SparseMatrix, rows: Range<Int>, of rowPattern: Pattern,
                              columns: Range<Int>, of columnPattern: Pattern) -> SparseMatrix {
        let rowPosition = positions(rowPattern), columnPosition = positions(columnPattern)
        let pattern = whole.pattern
        var starts = [Int32](repeating: 0, count: columnPattern.rows * columnPattern.cols + 1)
        var rowIndices: [Int32] = [], nonzeros: [NodeID] = []
        for (k, col) in columns.enumerated() {
            for entry in Int(pattern.columnStarts[col])..<Int(pattern.columnStarts[col + 1]) {
                let row = Int(pattern.rowIndices[entry])
                guard rows.contains(row) else { continue }
                rowIndices.append(Int32(rowPosition[row - rows.lowerBound]))
                nonzeros.append(whole.nonzeros[entry])
            }
            starts[columnPosition[k] + 1] = Int32(rowIndices.count)
        }
        // Columns of the block with no stored input entry hold nothing: carry the count forward.
        for j in 1..<starts.count { starts[j] = max(starts[j], starts[j - 1]) }
        let result = Pattern(rows: rowPattern.rows * rowPattern.cols, cols: starts.count - 1, columnStarts: starts, rowIndices: rowIndices)
        return SparseMatrix(pattern: result, nonzeros: nonzeros, in: whole.context)
    }

    /// The column-major position of each stored entry.
    private static func positions(_ pattern: Pattern) -> [Int] {
        (0..<pattern.cols).flatMap { j in (Int(pattern.columnStarts[j])..<Int(pattern.columnStarts[j + 1])).map { j * pattern.rows + Int(pattern.rowIndices[$0]) } }
    }

    private static func column(_ ids: [NodeID], _ context: ExprContext) -> Matrix {
        Matrix(nodes: ids, rows: ids.count, cols: 1, in: context)
    }
}

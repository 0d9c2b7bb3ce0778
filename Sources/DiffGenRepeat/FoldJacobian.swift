import DiffGenAD
import DiffGenCodegen
import DiffGenCore

/// The Jacobian of a fold's final state with respect to one outer input (dense, state size ×
/// input size; for a scalar state, the gradient as a column).
public struct FoldJacobian: LoopedFunction {
    public let fold: FoldedFunction
    public let input: Int
    public let name: String
    /// The step, built once here so generating twice gives the same C.
    let valueStep: Function
    /// The step's vector-Jacobian product for `sweeps` seeds at once, `(state, inputs…, seeds) →
    /// bars` (seed i at `i·s`, bar i at `i·|bar|`): every state entry's sweep in one call for a
    /// final-state Jacobian of a state of at most `jointSweepLimit` entries (the step's values
    /// computed once per step instead of once per sweep), one sweep per call otherwise.
    let vjpStep: Function
    let sweeps: Int
    static let jointSweepLimit = 16

    /// - Throws: `MapError.invalidInput` for an unknown input.
    public init(of fold: FoldedFunction, wrt input: Int, name: String? = nil) throws {
        guard fold.inputs.indices.contains(input) else { throw MapError.invalidInput(map: fold.name, input: input) }
        (self.fold, self.input) = (fold, input)
        let name = name ?? "\(fold.name)_jac_\(fold.inputs[input].name)"
        self.name = name
        let step = fold.step
        let stepInputs = try step.inputs.indices.map { (step.inputs[$0].name, try step.input($0)) }
        let next = try step.output(0)
        valueStep = try Function("\(name)_step", inputs: stepInputs, outputs: [(step.outputs[0].name, next)])
        let s = fold.stateSize
        sweeps = !fold.everyState && s <= Self.jointSweepLimit ? s : 1
        let seeds = step.context.vector("\(name)_seeds", count: sweeps * s)
        let all = try Matrix(column: stepInputs.flatMap { $0.1.elements })
        let bars = try vjp(of: try Matrix(column: next.elements), wrt: all, cotangents: (0..<sweeps).map { seeds[($0 * s)..<($0 * s + s)] })
        vjpStep = try Function("\(name)_vjp", inputs: stepInputs + [("seeds", seeds)], outputs: [("bars", try Matrix(column: bars.flatMap(\.elements)))])
    }

    public var inputPorts: [(name: String, size: Int)] { fold.inputs }
    public var count: Int { fold.count }

    /// A dense state-size × input-size Jacobian (every state's: state-size·count rows); for a
    /// scalar final state, the gradient as a column.
    public var outputPorts: [(name: String, pattern: Pattern)] {
        let (s, n) = (fold.stateSize, fold.inputs[input].size)
        if fold.everyState { return [("jac", Pattern.dense(rows: s * fold.count, cols: n))] }
        return [s == 1 ? ("grad", Pattern.dense(rows: n, cols: 1)) : ("jac", Pattern.dense(rows: s, cols: n))]
    }

    public func generate(baseName: String, options: CodegenOptions = CodegenOptions()) throws -> GeneratedCode {
        let step = fold.step
        let s = fold.stateSize, n = fold.inputs[input].size
        let barSize = vjpStep.outputs[0].count / sweeps
        let helpers = try CGenerator.helpers([valueStep, vjpStep], baseName: baseName, options: options)
        let helperWork = helpers.workSizes.max()!
        if fold.everyState { return try everyStateJacobian(helpers: helpers, helperWork: helperWork, baseName: baseName, options: options) }
        let stretch = min(fold.checkpoint ?? fold.count, fold.count)
        let blocks = (fold.count + stretch - 1) / stretch
        let (forward, reverse) = (options.prefix + valueStep.name, options.prefix + vjpStep.name)
        let bounds = "    first = j * \(stretch);\n    last = first + \(stretch) < \(fold.count) ? first + \(stretch) : \(fold.count);\n"
        var c = "  long long k, j, i, e, first, last;\n"
        c += "  double* checkpoints = work + \(helperWork);\n  double* block = checkpoints + \(blocks * s);\n"
        c += "  double* adjoint = block + \(stretch * s + s);\n  double* bars = adjoint + \(s * s);\n  double* bar;\n"
        c += "  for (e = 0; e < \(s); ++e) checkpoints[e] = x\(fold.initial.input)[\(fold.initial.offset) + e];\n"
        // Forward: each stretch from its checkpoint; the last stays in `block` for the reverse.
        c += "  for (j = 0; j < \(blocks); ++j) {\n" + bounds
        c += "    for (e = 0; e < \(s); ++e) block[e] = checkpoints[j * \(s) + e];\n"
        c += "  " + fold.forward(helper: forward, from: "first", to: "last", states: "block", base: "first")
        c += "    if (j + 1 < \(blocks)) for (e = 0; e < \(s); ++e) checkpoints[(j + 1) * \(s) + e] = block[(last - first) * \(s) + e];\n  }\n"
        // Reverse: one adjoint per state entry, all carried through each stretch together.
        c += "  for (e = 0; e < \(s * n); ++e) r0[e] = 0;\n"
        c += "  for (e = 0; e < \(s * s); ++e) adjoint[e] = e % \(s + 1) == 0 ? 1 : 0;\n"
        c += "  for (j = \(blocks - 1); j >= 0; --j) {\n" + bounds
        c += "    if (j + 1 < \(blocks)) {\n      for (e = 0; e < \(s); ++e) block[e] = checkpoints[j * \(s) + e];\n"
        c += "    " + fold.forward(helper: forward, from: "first", to: "last", states: "block", base: "first") + "    }\n"
        c += "    for (k = last - 1; k >= first; --k) {\n"
        if sweeps > 1 {
            // Every row's sweep through step k at once, then each row's bar in turn.
            let arguments = ["block + (k - first) * \(s)"] + fold.windows.map(\.pointer) + ["adjoint", "bars", "work"]
            c += "      \(reverse)_eval(\(arguments.joined(separator: ", ")));\n      for (i = 0; i < \(s); ++i) {\n        bar = bars + i * \(barSize);\n"
        } else {
            let arguments = ["block + (k - first) * \(s)"] + fold.windows.map(\.pointer) + ["adjoint + i * \(s)", "bars", "work"]
            c += "      for (i = 0; i < \(s); ++i) {\n        bar = bars;\n        \(reverse)_eval(\(arguments.joined(separator: ", ")));\n"
        }
        c += accumulation(rows: "\(s)", row: "i")
        c += "        for (e = 0; e < \(s); ++e) adjoint[i * \(s) + e] = bar[e];\n      }\n    }\n  }\n"
        if fold.initial.input == input {
            c += "  for (i = 0; i < \(s); ++i) for (e = 0; e < \(s); ++e) r0[(\(fold.initial.offset) + e) * \(s) + i] += adjoint[i * \(s) + e];\n"
        }
        let work = helperWork + blocks * s + (stretch + 1) * s + s * s + sweeps * barSize
        let driver = Driver(name: name, ports: portLayout, signature: "Jacobian of a fold of \(step.name) over \(fold.count) steps", body: c, work: work)
        return try CGenerator.generate(driver: driver, helpers: helpers, baseName: baseName, options: options)
    }

    /// Every state's rows: the states once forward, then for each state t and entry i a reverse
    /// sweep from step t − 1 down to the first.
    private func everyStateJacobian(helpers: GeneratedCode, helperWork: Int, baseName: String, options: CodegenOptions) throws -> GeneratedCode {
        let step = fold.step
        let (s, n, count) = (fold.stateSize, fold.inputs[input].size, fold.count)
        let rows = s * count
        let (forward, reverse) = (options.prefix + valueStep.name, options.prefix + vjpStep.name)
        var c = "  long long k, t, i, e;\n  double* block = work + \(helperWork);\n"
        c += "  double* adjoint = block + \((count + 1) * s);\n  double* bar = adjoint + \(s);\n"
        c += "  for (e = 0; e < \(s); ++e) block[e] = x\(fold.initial.input)[\(fold.initial.offset) + e];\n"
        c += fold.forward(helper: forward, from: "0", to: "\(count)", states: "block", base: "0")
        c += "  for (e = 0; e < \(rows * n); ++e) r0[e] = 0;\n"
        c += "  for (t = \(count); t >= 1; --t) {\n    for (i = 0; i < \(s); ++i) {\n"
        c += "      for (e = 0; e < \(s); ++e) adjoint[e] = e == i ? 1 : 0;\n"
        let arguments = ["block + k * \(s)"] + fold.windows.map(\.pointer) + ["adjoint", "bar", "work"]
        c += "      for (k = t - 1; k >= 0; --k) {\n        \(reverse)_eval(\(arguments.joined(separator: ", ")));\n"
        c += accumulation(rows: "\(rows)", row: "(t - 1) * \(s) + i")
        c += "        for (e = 0; e < \(s); ++e) adjoint[e] = bar[e];\n      }\n"
        if fold.initial.input == input {
            c += "      for (e = 0; e < \(s); ++e) r0[(\(fold.initial.offset) + e) * \(rows) + (t - 1) * \(s) + i] += adjoint[e];\n"
        }
        c += "    }\n  }\n"
        let work = helperWork + (count + 1) * s + s + vjpStep.outputs[0].count
        let driver = Driver(name: name, ports: portLayout, signature: "Jacobian of every state of a fold of \(step.name) over \(count) steps", body: c, work: work)
        return try CGenerator.generate(driver: driver, helpers: helpers, baseName: baseName, options: options)
    }

    /// C adding step k's input adjoints (`bar` after the state's) into row `row` of the
    /// column-major output with `rows` rows, for the windows reading the differentiated input.
    private func accumulation(rows: String, row: String) -> String {
        var c = "", offset = fold.stateSize
        for (b, window) in fold.windows.enumerated() {
            let size = fold.step.inputs[b + 1].count
            if window.input == input {
                c += "        for (e = 0; e < \(size); ++e) r0[(\(window.offset) + k * \(window.stride) + e) * \(rows) + \(row)] += bar[\(offset) + e];\n"
            }
            offset += size
        }
        return c
    }
}

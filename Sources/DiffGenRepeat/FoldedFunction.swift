import DiffGenAD
import DiffGenCodegen
import DiffGenCore

/// A step function threaded through `count` steps as one C loop (CasADi's `mapaccum`, JAX's
/// `scan`): `s₀` read from the outer inputs, `s_{k+1} = step(s_k, inputs of step k)`, where the
/// step's other inputs read windows of the outer inputs (stride 0: the same every step). Its
/// value is the final state.
///
/// The Jacobian of the final state runs the steps forward once, keeping every state in the work
/// array (`count + 1` states: 8·(count + 1)·state-size bytes, 0.8 MB for 10⁵ scalar steps), then
/// one reverse sweep per state entry through the step's vector-Jacobian product. With
/// `checkpoint` set, only every `checkpoint`-th state is kept and each stretch is recomputed
/// before its reverse sweep: memory (count/checkpoint + checkpoint)·state-size, time one more
/// forward pass.
///
/// With `everyState` (CasADi's `mapaccum`) the value is every state after a step, side by side
/// (state size × count), and the Jacobian has one row per entry of them: one reverse sweep per
/// row through the steps before it, O(state size · count²) step products (the Jacobian is dense
/// below its block diagonal anyway); every state is kept, so `checkpoint` does not apply.
public struct FoldedFunction {
    public let name: String
    public let step: Function
    public let count: Int
    public let inputs: [(name: String, size: Int)]
    /// Where the initial state is (its stride is ignored).
    public let initial: Window
    /// One per step input after the state.
    public let windows: [Window]
    public var checkpoint: Int?
    /// Output every state (`mapaccum`) instead of the final one.
    public let everyState: Bool

    /// - Throws: `MapError` when the step's first output is not the size of its first input, or
    ///   windows do not fit.
    public init(_ name: String, step: Function, count: Int, inputs: [(String, Int)], initial: Window, windows: [Window],
                checkpoint: Int? = nil, everyState: Bool = false) throws {
        guard count >= 1 else { throw MapError.noInstances(map: name) }
        guard step.inputs.count == windows.count + 1 else {
            throw MapError.windowCount(map: name, expected: step.inputs.count - 1, got: windows.count)
        }
        guard !step.outputs.isEmpty, step.outputs[0].count == step.inputs[0].count else { throw MapError.invalidOutput(map: name, output: 0) }
        let sizes = inputs.map(\.1)
        for (b, window) in ([initial] + windows).enumerated() {
            guard sizes.indices.contains(window.input) else { throw MapError.unknownInput(map: name, bodyInput: b, input: window.input) }
            let last = window.offset + (b == 0 ? 0 : (count - 1) * window.stride) + step.inputs[b].count - 1
            guard window.offset >= 0, window.stride >= 0, last < sizes[window.input] else {
                throw MapError.windowOutOfRange(map: name, bodyInput: b, lastEntry: last, inputSize: sizes[window.input])
            }
        }
        (self.name, self.step, self.count, self.initial, self.windows) = (name, step, count, initial, windows)
        self.inputs = inputs.map { (name: $0.0, size: $0.1) }
        self.checkpoint = everyState ? nil : checkpoint.map { max(1, $0) }
        self.everyState = everyState
    }

    var stateSize: Int { step.inputs[0].count }

    /// C that runs steps `from..<to` (C expressions) forward, state k at `states + (k - base) * s`.
    func forward(helper: String, from: String, to: String, states: String, base: String) -> String {
        let s = stateSize
        let arguments = ["\(states) + (k - \(base)) * \(s)"] + windows.map(\.pointer) + ["\(states) + (k + 1 - \(base)) * \(s)", "work"]
        return "  for (k = \(from); k < \(to); ++k) \(helper)_eval(\(arguments.joined(separator: ", ")));\n"
    }

    /// C of the final state: two state buffers, swapped each step.
    public func generate(baseName: String, options: CodegenOptions = CodegenOptions()) throws -> GeneratedCode {
        let valueStep = try Function("\(name)_step", inputs: step.inputs.indices.map { (step.inputs[$0].name, try step.input($0)) },
                                     outputs: [(step.outputs[0].name, try step.output(0))])
        let helpers = try CGenerator.helpers([valueStep], baseName: baseName, options: options)
        let (s, helperWork) = (stateSize, helpers.workSizes[0])
        let helper = options.prefix + valueStep.name
        var body = "  long long k, e;\n  double* states = work + \(helperWork);\n  double* t;\n"
        body += "  for (e = 0; e < \(s); ++e) states[e] = x\(initial.input)[\(initial.offset) + e];\n"
        if everyState {
            // Each state straight into the output, read back as the next step's input.
            let arguments = ["k == 0 ? states : r0 + (k - 1) * \(s)"] + windows.map(\.pointer) + ["r0 + k * \(s)", "work"]
            body += "  (void)t;\n  for (k = 0; k < \(count); ++k) \(helper)_eval(\(arguments.joined(separator: ", ")));\n"
        } else {
            let arguments = ["states + (k & 1) * \(s)"] + windows.map(\.pointer) + ["states + ((k + 1) & 1) * \(s)", "work"]
            body += "  for (k = 0; k < \(count); ++k) \(helper)_eval(\(arguments.joined(separator: ", ")));\n"
            body += "  t = states + (\(count) & 1) * \(s);\n  for (e = 0; e < \(s); ++e) r0[e] = t[e];\n"
        }
        let driver = Driver(name: name, ports: portLayout, signature: "fold of \(step.name) over \(count) steps", body: body, work: helperWork + 2 * s)
        return try CGenerator.generate(driver: driver, helpers: helpers, baseName: baseName, options: options)
    }
}

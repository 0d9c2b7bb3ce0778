/// Evaluates a `Function` on `Double` inputs without generating code.
///
/// Setup flattens the function once; `evaluate(inputs:outputs:)` then allocates nothing.
/// Batches run many points through each instruction together, which amortizes dispatch.
/// An instance keeps its work buffers, so use one instance per thread.
public final class Interpreter {
    private let program: Program
    private let functionName: String
    /// Names and sizes of the inputs and outputs, in order.
    public let inputSizes: [Int]
    public let outputSizes: [Int]
    private let inputNames: [String]
    private var work: [Double]
    private var batchWork: [Double] = []
    private let batchLanes: Int

    /// Flattens `function` for evaluation.
    /// - Complexity: O(nodes the outputs depend on).
    public init(_ function: Function) {
        program = Program(function)
        functionName = function.name
        inputSizes = function.inputs.map(\.count)
        outputSizes = function.outputs.map(\.count)
        inputNames = function.inputs.map(\.name)
        work = [Double](repeating: 0, count: max(program.slotCount, 1))
        for (slot, value) in program.constants { work[Int(slot)] = value }
        // Keep a batch chunk's work array near 16 MiB at most, and at most 64 lanes wide.
        batchLanes = max(1, min(64, (1 << 21) / max(program.slotCount, 1)))
    }

    /// Number of instructions (operations) executed per point.
    public var instructionCount: Int { program.instructions.count }

    /// Evaluates at one point. `inputs[i]` points at input i's values (column-major), or is nil
    /// for an all-zero input; `outputs[j]` receives output j, or is nil to skip it.
    /// Allocates nothing.
    public func evaluate(inputs: UnsafePointer<UnsafePointer<Double>?>,
                         outputs: UnsafePointer<UnsafeMutablePointer<Double>?>) {
        work.withUnsafeMutableBufferPointer { buffer in
            let w = buffer.baseAddress!
            for (i, slots) in program.inputSlots.enumerated() {
                let source = inputs[i]
                for (k, slot) in slots.enumerated() where slot >= 0 {
                    w[Int(slot)] = source?[k] ?? 0
                }
            }
            program.run(w, lanes: 1, stride: 1)
            for (j, slots) in program.outputSlots.enumerated() {
                guard let target = outputs[j] else { continue }
                for (k, slot) in slots.enumerated() { target[k] = w[Int(slot)] }
            }
        }
    }

    /// Evaluates at one point given as arrays; returns each output column-major.
    /// - Throws: `FunctionError` when the number or sizes of inputs are wrong.
    public func evaluate(_ inputs: [[Double]]) throws -> [[Double]] {
        try checkInputs(inputs, points: 1)
        let flatInputs = inputs.flatMap { $0 }
        var flatOutputs = [Double](repeating: 0, count: outputSizes.reduce(0, +))
        flatInputs.withUnsafeBufferPointer { inBuffer in
            flatOutputs.withUnsafeMutableBufferPointer { outBuffer in
                var inputPointers: [UnsafePointer<Double>?] = []
                var offset = 0
                for size in inputSizes {
                    inputPointers.append(inBuffer.baseAddress.map { $0 + offset })
                    offset += size
                }
                var outputPointers: [UnsafeMutablePointer<Double>?] = []
                offset = 0
                for size in outputSizes {
                    outputPointers.append(outBuffer.baseAddress.map { $0 + offset })
                    offset += size
                }
                evaluate(inputs: inputPointers, outputs: outputPointers)
            }
        }
        var results: [[Double]] = []
        var offset = 0
        for size in outputSizes {
            results.append(Array(flatOutputs[offset..<(offset + size)]))
            offset += size
        }
        return results
    }

    /// Evaluates at `points` points. `inputs[i]` holds input i for every point, point after point
    /// (`points × inputSizes[i]` values); the result holds each output the same way.
    /// - Throws: `FunctionError` when the number or sizes of inputs are wrong.
    public func evaluateBatch(_ inputs: [[Double]], points: Int) throws -> [[Double]] {
        try checkInputs(inputs, points: points)
        var results = outputSizes.map { [Double](repeating: 0, count: $0 * points) }
        let lanes = batchLanes
        if batchWork.isEmpty {
            batchWork = [Double](repeating: 0, count: max(program.slotCount, 1) * lanes)
            for (slot, value) in program.constants {
                for p in 0..<lanes { batchWork[Int(slot) * lanes + p] = value }
            }
        }
        var start = 0
        while start < points {
            let n = min(lanes, points - start)
            batchWork.withUnsafeMutableBufferPointer { buffer in
                let w = buffer.baseAddress!
                for (i, slots) in program.inputSlots.enumerated() {
                    let size = inputSizes[i]
                    for (k, slot) in slots.enumerated() where slot >= 0 {
                        for p in 0..<n { w[Int(slot) * lanes + p] = inputs[i][(start + p) * size + k] }
                    }
                }
                program.run(w, lanes: n, stride: lanes)
                for (j, slots) in program.outputSlots.enumerated() {
                    let size = outputSizes[j]
                    for (k, slot) in slots.enumerated() {
                        for p in 0..<n { results[j][(start + p) * size + k] = w[Int(slot) * lanes + p] }
                    }
                }
            }
            start += n
        }
        return results
    }

    private func checkInputs(_ inputs: [[Double]], points: Int) throws {
        guard inputs.count == inputSizes.count else {
            throw FunctionError.wrongInputCount(expected: inputSizes.count, got: inputs.count, function: functionName)
        }
        for (i, values) in inputs.enumerated() where values.count != inputSizes[i] * points {
            throw FunctionError.wrongInputSize(input: inputNames[i], expected: inputSizes[i] * points, got: values.count, function: functionName)
        }
    }
}

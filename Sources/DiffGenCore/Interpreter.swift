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
    private let work: OwnedBuffer<Double>
    /// Input and output slots flattened into owned buffers, for the allocation-free call.
    private let layout: SlotLayout
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
        work = OwnedBuffer(count: max(program.slotCount, 1), value: 0)
        for (slot, value) in program.constants { work.base[Int(slot)] = value }
        layout = SlotLayout(program)
        // Keep a batch chunk's work array near 16 MiB at most, and at most 64 lanes wide.
        batchLanes = max(1, min(64, (1 << 21) / max(program.slotCount, 1)))
    }

    /// Number of instructions (operations) executed per point.
    public var instructionCount: Int { program.instructions.count }

    /// Evaluates at one point. `inputs[i]` points at input i's values (column-major), or is nil
    /// for an all-zero input; `outputs[j]` receives output j, or is nil to skip it.
    /// Allocates nothing, in debug builds too (plain loops over preallocated storage).
    public func evaluate(inputs: UnsafePointer<UnsafePointer<Double>?>,
                         outputs: UnsafePointer<UnsafeMutablePointer<Double>?>) {
        let w = work.base
        let inputSlots = layout.inputSlots.base, inputStart = layout.inputStart.base
        var i = 0
        while i < inputSizes.count {
            let source = inputs[i]
            var k = inputStart[i]
            let end = inputStart[i + 1]
            var entry = 0
            while k < end {
                let slot = Int(inputSlots[k])
                if slot >= 0 { w[slot] = source?[entry] ?? 0 }
                k += 1
                entry += 1
            }
            i += 1
        }
        program.run(w, lanes: 1, stride: 1)
        let outputSlots = layout.outputSlots.base, outputStart = layout.outputStart.base
        var j = 0
        while j < outputSizes.count {
            if let target = outputs[j] {
                var k = outputStart[j]
                let end = outputStart[j + 1]
                var entry = 0
                while k < end {
                    target[entry] = w[Int(outputSlots[k])]
                    k += 1
                    entry += 1
                }
            }
            j += 1
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

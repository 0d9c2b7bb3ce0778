/// Everything one caller needs to evaluate a compiled function again and again without
/// allocating: input, output and work memory and the pointer tables, made once.
///
/// Fill inputs through `input(_:)` (by port name or index, column-major nonzeros), call
/// `run()`, read `output(_:)`. `run()` allocates nothing and checks nothing beyond what is free.
/// A workspace belongs to one thread at a time; hand it to another thread freely, or make one per
/// thread (they share the compiled code). It keeps its function, and so its code, alive.
public final class Workspace: @unchecked Sendable {
    // @unchecked: the buffers are mutated only by the one thread that owns the workspace.
    public let function: NativeFunction
    private let storage: UnsafeMutablePointer<Double>
    private let inputPointers: UnsafeMutablePointer<UnsafePointer<Double>?>
    private let outputPointers: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    private let work: UnsafeMutablePointer<Double>
    private let inputOffsets: [Int]
    private let outputOffsets: [Int]

    public init(_ function: NativeFunction) {
        self.function = function
        var offset = 0
        inputOffsets = function.inputSizes.map { size in defer { offset += size }; return offset }
        outputOffsets = function.outputSizes.map { size in defer { offset += size }; return offset }
        let total = offset + max(function.workSize, 1)
        storage = .allocate(capacity: total)
        storage.initialize(repeating: 0, count: total)
        work = storage + offset
        inputPointers = .allocate(capacity: max(function.inputSizes.count, 1))
        outputPointers = .allocate(capacity: max(function.outputSizes.count, 1))
        for (k, start) in inputOffsets.enumerated() { inputPointers[k] = UnsafePointer(storage + start) }
        for (k, start) in outputOffsets.enumerated() { outputPointers[k] = storage + start }
    }

    deinit {
        storage.deallocate()
        inputPointers.deallocate()
        outputPointers.deallocate()
    }

    /// Input `k`'s values (its nonzeros, column-major), to fill before `run()`.
    public func input(_ k: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: storage + inputOffsets[k], count: function.inputSizes[k])
    }

    /// The input named `name`, or nil.
    public func input(_ name: String) -> UnsafeMutableBufferPointer<Double>? {
        function.inputNames.firstIndex(of: name).map { input($0) }
    }

    /// Output `k`'s values after `run()`.
    public func output(_ k: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: storage + outputOffsets[k], count: function.outputSizes[k])
    }

    /// The output named `name`, or nil.
    public func output(_ name: String) -> UnsafeBufferPointer<Double>? {
        function.outputNames.firstIndex(of: name).map { output($0) }
    }

    /// Evaluates the function on the inputs into the outputs. Allocates nothing.
    @inline(__always)
    public func run() {
        function.call(inputs: inputPointers, outputs: outputPointers, work: work)
    }
}

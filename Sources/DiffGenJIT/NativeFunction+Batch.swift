import Dispatch

extension NativeFunction {
    /// Why a batched call was refused.
    public enum BatchError: Error, CustomStringConvertible, Equatable {
        case notBatched(function: String)
        case wrongInputCount(function: String, expected: Int, got: Int)
        case wrongInputSize(function: String, input: Int, expected: Int, got: Int)

        public var description: String {
            switch self {
            case .notBatched(let f): return "\(f) was compiled without a batched entry (set CodegenOptions.batchLanes)"
            case .wrongInputCount(let f, let expected, let got): return "\(f) takes \(expected) inputs, got \(got)"
            case .wrongInputSize(let f, let input, let expected, let got):
                return "\(f): batched input \(input) needs \(expected) values (entries × points), got \(got)"
            }
        }
    }

    /// Whether this function has a batched entry point.
    public var isBatched: Bool { batchWorkSize > 0 }

    /// Evaluates `count` points. Entry k of input i for point p is `inputs[i][k * stride + p]`;
    /// outputs are written likewise; `work` holds `batchWorkSize` doubles. Allocates nothing;
    /// safe from many threads at once, each with its own `work`. Unchecked: the function must be
    /// batched and every pointer must reach its last entry.
    @inline(__always)
    public func callBatch(inputs: UnsafePointer<UnsafePointer<Double>?>, outputs: UnsafePointer<UnsafeMutablePointer<Double>?>,
                          count: Int, stride: Int, work: UnsafeMutablePointer<Double>) {
        let function = unsafeBitCast(batchEntry.load(ordering: .acquiring), to: BatchEntry.self)
        _ = function(inputs, outputs, Int64(count), Int64(stride), work)
    }

    /// Evaluates `count` points given entry-major (`inputs[i][k * count + p]`: each entry's
    /// values for all points in a row), returning outputs in the same layout. With `threads`
    /// above 1, contiguous ranges of points run on that many threads. Checked and allocating;
    /// `callBatch` is the allocation-free form.
    /// - Throws: `BatchError` when the function has no batched entry or the inputs do not fit.
    public func evaluateBatch(_ inputs: [[Double]], count: Int, threads: Int = 1) throws -> [[Double]] {
        guard isBatched else { throw BatchError.notBatched(function: name) }
        guard inputs.count == inputSizes.count else {
            throw BatchError.wrongInputCount(function: name, expected: inputSizes.count, got: inputs.count)
        }
        for (k, input) in inputs.enumerated() where input.count != inputSizes[k] * count {
            throw BatchError.wrongInputSize(function: name, input: k, expected: inputSizes[k] * count, got: input.count)
        }
        var outputs = outputSizes.map { [Double](repeating: 0, count: $0 * count) }
        guard count > 0 else { return outputs }
        let chunks = Swift.max(1, Swift.min(threads, count))
        let inputBuffers = inputs.map { $0.withUnsafeBufferPointer { UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max($0.count, 1)).initializedCopy(of: $0) } }
        let outputBuffers = outputs.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max($0.count, 1)) }
        defer { (inputBuffers + outputBuffers).forEach { $0.deallocate() } }
        // Addresses cross into the worker closures as integers (each thread writes its own points).
        let inputAddresses = inputBuffers.map { UInt(bitPattern: $0.baseAddress) }
        let outputAddresses = outputBuffers.map { UInt(bitPattern: $0.baseAddress) }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let first = count * chunk / chunks, end = count * (chunk + 1) / chunks
            let ins: [UnsafePointer<Double>?] = inputAddresses.map { UnsafePointer<Double>(bitPattern: $0)! + first }
            let outs: [UnsafeMutablePointer<Double>?] = outputAddresses.map { UnsafeMutablePointer<Double>(bitPattern: $0)! + first }
            let work = UnsafeMutablePointer<Double>.allocate(capacity: batchWorkSize)
            defer { work.deallocate() }
            callBatch(inputs: ins, outputs: outs, count: end - first, stride: count, work: work)
        }
        for k in outputs.indices { outputs[k] = Array(outputBuffers[k].prefix(outputSizes[k] * count)) }
        return outputs
    }
}

extension UnsafeMutableBufferPointer where Element == Double {
    /// This buffer with `source` copied to its start.
    fileprivate func initializedCopy(of source: UnsafeBufferPointer<Double>) -> Self {
        if let base = source.baseAddress { baseAddress!.initialize(from: base, count: source.count) }
        return self
    }
}

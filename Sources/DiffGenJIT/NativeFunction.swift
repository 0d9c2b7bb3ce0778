import Dispatch
import Synchronization

/// A compiled function with CasADi's calling convention, called without allocating.
///
/// Sizes come from the code's own metadata (`NAME_n_in`, `NAME_sparsity_in`, `NAME_work`), so this
/// type knows nothing of graphs. It keeps its module alive.
///
/// Tiers: the callable starts on tcc's code and may later switch, atomically and while other
/// threads are calling it, to an optimized build of the same function in a shared library
/// (`adoptOptimized`). Both are kept loaded for the callable's lifetime, so a call that loaded
/// the old entry just before the switch still runs valid code.
public final class NativeFunction: @unchecked Sendable {
    /// Which code calls run.
    public enum Tier: Equatable, Sendable {
        /// tcc's code; no optimized build was requested.
        case tcc
        /// tcc's code while an optimized build runs in the background.
        case optimizing
        /// The optimized shared library's code.
        case optimized
        /// tcc's code; the optimized build failed (the compiler's message).
        case failed(String)
    }

    public typealias Entry = @convention(c) (
        UnsafePointer<UnsafePointer<Double>?>?, UnsafePointer<UnsafeMutablePointer<Double>?>?,
        UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Double>?, Int32
    ) -> Int32
    typealias BatchEntry = @convention(c) (
        UnsafePointer<UnsafePointer<Double>?>?, UnsafePointer<UnsafeMutablePointer<Double>?>?, Int64, Int64,
        UnsafeMutablePointer<Double>?
    ) -> Int32
    typealias Count = @convention(c) () -> Int64
    private typealias Sparsity = @convention(c) (Int64) -> UnsafePointer<Int64>?
    private typealias PortName = @convention(c) (Int64) -> UnsafePointer<CChar>?
    private typealias Work = @convention(c) (UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Int64>?,
                                             UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Int64>?) -> Int32

    public let name: String
    /// Entries of each input and output (nonzeros of its sparsity pattern).
    public let inputSizes: [Int]
    public let outputSizes: [Int]
    /// Port names and shapes (rows, columns), from the code's `NAME_name_in`/`_sparsity_in`.
    public let inputNames: [String]
    public let outputNames: [String]
    public let inputShapes: [(rows: Int, cols: Int)]
    public let outputShapes: [(rows: Int, cols: Int)]
    /// Doubles of work memory a call needs (`work` argument of `call`).
    public let workSize: Int
    private let module: JITModule
    /// The entry point calls go through (tcc's, then possibly the optimized one).
    private let entry: Atomic<UInt>
    /// The batched entry point (`NAME_batch`), 0 when the code has none; switches with `entry`.
    let batchEntry: Atomic<UInt>
    /// Doubles of work memory a batched call needs (0 without a batched entry).
    public let batchWorkSize: Int
    private let state = Mutex<(tier: Tier, library: SharedLibrary?)>((.tcc, nil))
    private let optimization = DispatchGroup()

    /// The module holding tcc's code (kept alive by this callable).
    public var compiledModule: JITModule { module }
    /// The address of the current entry point: equal for callables sharing compiled code.
    public var entryAddress: UnsafeRawPointer { UnsafeRawPointer(bitPattern: entry.load(ordering: .acquiring))! }
    /// Which code calls run now.
    public var tier: Tier { state.withLock { $0.tier } }

    /// Symbols the CasADi interface of function `name` defines.
    /// With `batched`, also the batched entry's (`CodegenOptions.batchLanes`).
    public static func symbols(of name: String, batched: Bool = false) -> [String] {
        [name, "\(name)_n_in", "\(name)_n_out", "\(name)_sparsity_in", "\(name)_sparsity_out", "\(name)_work",
         "\(name)_name_in", "\(name)_name_out"] + (batched ? ["\(name)_batch", "\(name)_batch_work"] : [])
    }

    /// Wraps function `name` of `module` (compiled with `symbols(of: name)` among its symbols).
    /// `minimumWorkSize` (`minimumBatchWorkSize`) reserves work memory for a later optimized
    /// tier that needs more. The batched entry is used when the module has one.
    public init(name: String, module: JITModule, minimumWorkSize: Int = 0, minimumBatchWorkSize: Int = 0) throws {
        func symbol<T>(_ suffix: String, as type: T.Type) throws -> T {
            try NativeFunction.symbol(name + suffix, as: type, in: "the compiled module", module.address(of:))
        }
        self.name = name
        self.module = module
        entry = Atomic(UInt(bitPattern: try symbol("", as: UnsafeRawPointer.self)))
        let nIn = Int(try symbol("_n_in", as: Count.self)())
        let nOut = Int(try symbol("_n_out", as: Count.self)())
        let sparsityIn = try symbol("_sparsity_in", as: Sparsity.self)
        let sparsityOut = try symbol("_sparsity_out", as: Sparsity.self)
        func nonzeros(_ pattern: UnsafePointer<Int64>?) -> Int {
            guard let pattern else { return 0 }
            let cols = Int(pattern[1])
            // Compressed column [nrow, ncol, colind…, row…] always has colind[0] = 0, so a third
            // entry of 1 is CasADi's compact dense form [nrow, ncol, 1].
            if pattern[2] == 1 { return Int(pattern[0]) * cols }
            return Int(pattern[2 + cols])
        }
        inputSizes = (0..<nIn).map { nonzeros(sparsityIn(Int64($0))) }
        outputSizes = (0..<nOut).map { nonzeros(sparsityOut(Int64($0))) }
        func shape(_ pattern: UnsafePointer<Int64>?) -> (rows: Int, cols: Int) { pattern.map { (Int($0[0]), Int($0[1])) } ?? (0, 0) }
        inputShapes = (0..<nIn).map { shape(sparsityIn(Int64($0))) }
        outputShapes = (0..<nOut).map { shape(sparsityOut(Int64($0))) }
        let nameIn = try symbol("_name_in", as: PortName.self), nameOut = try symbol("_name_out", as: PortName.self)
        inputNames = (0..<nIn).map { nameIn(Int64($0)).map { String(cString: $0) } ?? "in\($0)" }
        outputNames = (0..<nOut).map { nameOut(Int64($0)).map { String(cString: $0) } ?? "out\($0)" }
        workSize = Swift.max(NativeFunction.workDoubles(try symbol("_work", as: Work.self)), minimumWorkSize)
        if let batch = module.address(of: name + "_batch"), let batchWork = module.address(of: name + "_batch_work") {
            batchEntry = Atomic(UInt(bitPattern: batch))
            batchWorkSize = Swift.max(Int(unsafeBitCast(batchWork, to: Count.self)()), minimumBatchWorkSize)
        } else {
            batchEntry = Atomic(0)
            batchWorkSize = 0
        }
    }

    /// Marks an optimized build as under way; `endOptimization` ends it.
    public func beginOptimization() {
        optimization.enter()
        state.withLock { $0.tier = .optimizing }
    }

    /// Switches calls to this function's code in `library` (an optimized build of the same C),
    /// after checking that its inputs, outputs and work size fit this callable.
    /// - Throws: `JITError` when the library's function does not match; calls stay on tcc's code.
    public func adoptOptimized(_ library: SharedLibrary) throws {
        func symbol<T>(_ suffix: String, as type: T.Type) throws -> T {
            try NativeFunction.symbol(name + suffix, as: type, in: library.path, library.address(of:))
        }
        let address = try symbol("", as: UnsafeRawPointer.self)
        let batched = batchWorkSize > 0
        let batch = batched ? try symbol("_batch", as: UnsafeRawPointer.self) : nil
        let batchWork = batched ? Int(try symbol("_batch_work", as: Count.self)()) : 0
        guard Int(try symbol("_n_in", as: Count.self)()) == inputSizes.count,
              Int(try symbol("_n_out", as: Count.self)()) == outputSizes.count,
              NativeFunction.workDoubles(try symbol("_work", as: Work.self)) <= workSize,
              batchWork <= batchWorkSize else {
            throw JITError(message: "\(library.path): \(name) does not match the compiled function", line: nil, sourceLine: nil)
        }
        // The library is retained before any call can reach its code.
        state.withLock {
            $0.library = library
            $0.tier = .optimized
        }
        entry.store(UInt(bitPattern: address), ordering: .releasing)
        if let batch { batchEntry.store(UInt(bitPattern: batch), ordering: .releasing) }
    }

    /// Ends an optimized build: on success after `adoptOptimized`, else with the reason.
    public func endOptimization(failure: String? = nil) {
        if let failure { state.withLock { $0.tier = .failed(failure) } }
        optimization.leave()
    }

    /// Waits up to `seconds` for a background optimized build to finish; returns the tier then.
    public func waitForOptimization(seconds: Double) -> Tier {
        _ = optimization.wait(timeout: .now() + seconds)
        return tier
    }

    /// A symbol's address as a C function or pointer type, or a `JITError` naming where it was
    /// looked for.
    private static func symbol<T>(_ symbol: String, as type: T.Type, in place: String,
                                  _ lookup: (String) -> UnsafeRawPointer?) throws -> T {
        guard let address = lookup(symbol) else {
            throw JITError(message: "symbol \(symbol) is not defined in \(place)", line: nil, sourceLine: nil)
        }
        return unsafeBitCast(address, to: type)
    }

    /// The doubles of work memory a `NAME_work` function reports.
    private static func workDoubles(_ work: Work) -> Int {
        var sizes = (Int64(0), Int64(0), Int64(0), Int64(0))
        _ = work(&sizes.0, &sizes.1, &sizes.2, &sizes.3)
        return Int(sizes.3)
    }

    /// Evaluates once. `inputs[i]` points at input i (NULL reads as zeros), `outputs[j]` receives
    /// output j (NULL skips it), `work` holds `workSize` doubles. Allocates nothing; safe to call
    /// from many threads at once, each with its own `work`. Unchecked: the pointer arrays must
    /// hold `inputSizes.count` and `outputSizes.count` entries, each pointing at enough values.
    @inline(__always)
    public func call(inputs: UnsafePointer<UnsafePointer<Double>?>, outputs: UnsafePointer<UnsafeMutablePointer<Double>?>,
                     work: UnsafeMutablePointer<Double>) {
        let function = unsafeBitCast(entry.load(ordering: .acquiring), to: Entry.self)
        _ = function(inputs, outputs, nil, work, 0)
    }

    /// Why a checked call was refused.
    public enum CallError: Error, CustomStringConvertible, Equatable {
        case wrongInputCount(function: String, expected: Int, got: Int)
        case wrongInputSize(function: String, input: Int, expected: Int, got: Int)

        public var description: String {
            switch self {
            case .wrongInputCount(let f, let expected, let got): return "\(f) takes \(expected) inputs, got \(got)"
            case .wrongInputSize(let f, let input, let expected, let got): return "\(f): input \(input) needs \(expected) values, got \(got)"
            }
        }
    }

    /// Evaluates at one point given as arrays (allocates; for convenience and tests). Checked:
    /// `call(inputs:outputs:work:)` is the unchecked, allocation-free form.
    /// - Throws: `CallError` for a wrong number of inputs or a wrong input length.
    public func callAsFunction(_ inputs: [[Double]]) throws -> [[Double]] {
        guard inputs.count == inputSizes.count else {
            throw CallError.wrongInputCount(function: name, expected: inputSizes.count, got: inputs.count)
        }
        for (k, input) in inputs.enumerated() where input.count != inputSizes[k] {
            throw CallError.wrongInputSize(function: name, input: k, expected: inputSizes[k], got: input.count)
        }
        let flatInputs = inputs.flatMap { $0 }
        var flatOutputs = [Double](repeating: 0, count: outputSizes.reduce(0, +))
        var work = [Double](repeating: 0, count: Swift.max(workSize, 1))
        flatInputs.withUnsafeBufferPointer { inBuffer in
            flatOutputs.withUnsafeMutableBufferPointer { outBuffer in
                var offset = 0
                let inputPointers: [UnsafePointer<Double>?] = inputSizes.map { size in
                    defer { offset += size }
                    return inBuffer.baseAddress.map { $0 + offset }
                }
                offset = 0
                let outputPointers: [UnsafeMutablePointer<Double>?] = outputSizes.map { size in
                    defer { offset += size }
                    return outBuffer.baseAddress.map { $0 + offset }
                }
                work.withUnsafeMutableBufferPointer { call(inputs: inputPointers, outputs: outputPointers, work: $0.baseAddress!) }
            }
        }
        var offset = 0
        return outputSizes.map { size in
            defer { offset += size }
            return Array(flatOutputs[offset..<(offset + size)])
        }
    }
}

import DiffGen
import Foundation

/// What the controller needs of compiled code: fill inputs, run, read outputs, allocating
/// nothing. DiffGen's `Workspace` is one; `CasADiLibrary.Function` (CasADi's generated C,
/// for the comparison run) is the other.
public protocol Evaluator: AnyObject {
    func input(_ k: Int) -> UnsafeMutableBufferPointer<Double>
    func output(_ k: Int) -> UnsafeBufferPointer<Double>
    func run()
}

extension Workspace: Evaluator {}

/// A shared library of CasADi-generated C (CasADi's calling convention, `long long` indices),
/// built by the caller from CasADi's own code generator.
public final class CasADiLibrary {
    private let handle: UnsafeMutableRawPointer

    public init(path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { throw MPCError("cannot load \(path): \(String(cString: dlerror()))") }
        self.handle = handle
    }

    deinit { dlclose(handle) }

    /// One function of the library with its buffers, made once.
    public final class Function: Evaluator {
        typealias Entry = @convention(c) (UnsafePointer<UnsafePointer<Double>?>?, UnsafePointer<UnsafeMutablePointer<Double>?>?,
                                          UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Double>?, Int32) -> Int32
        typealias Work = @convention(c) (UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Int64>?) -> Int32
        typealias Sparsity = @convention(c) (Int64) -> UnsafePointer<Int64>?
        typealias Count = @convention(c) () -> Int64
        private let library: CasADiLibrary
        private let entry: Entry
        private let inputs: [UnsafeMutableBufferPointer<Double>], outputs: [UnsafeMutableBufferPointer<Double>]
        private let inputTable: UnsafeMutablePointer<UnsafePointer<Double>?>, outputTable: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
        private let iw: UnsafeMutablePointer<Int64>, w: UnsafeMutablePointer<Double>

        public init(_ library: CasADiLibrary, name: String) throws {
            func symbol<T>(_ suffix: String, as: T.Type) throws -> T {
                guard let address = dlsym(library.handle, name + suffix) else { throw MPCError("\(name + suffix) is not in the library") }
                return unsafeBitCast(address, to: T.self)
            }
            self.library = library
            entry = try symbol("", as: Entry.self)
            let (nIn, nOut) = (try symbol("_n_in", as: Count.self)(), try symbol("_n_out", as: Count.self)())
            let sparsityIn = try symbol("_sparsity_in", as: Sparsity.self), sparsityOut = try symbol("_sparsity_out", as: Sparsity.self)
            // Nonzeros of a compressed-column pattern [rows, cols, colind…, row…]: colind[cols];
            // CasADi writes a dense one as [rows, cols, 1] (colind[0] is 0 in the general form).
            func nonzeros(_ p: UnsafePointer<Int64>?) -> Int { p![2] == 1 ? Int(p![0] * p![1]) : Int(p![2 + Int(p![1])]) }
            func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
                b.initialize(repeating: 0)
                return UnsafeMutableBufferPointer(rebasing: b[0..<count])
            }
            inputs = (0..<nIn).map { buffer(nonzeros(sparsityIn($0))) }
            outputs = (0..<nOut).map { buffer(nonzeros(sparsityOut($0))) }
            var (szArg, szRes, szIw, szW) = (Int64(0), Int64(0), Int64(0), Int64(0))
            _ = try symbol("_work", as: Work.self)(&szArg, &szRes, &szIw, &szW)
            iw = .allocate(capacity: Int(max(szIw, 1)))
            w = .allocate(capacity: Int(max(szW, 1)))
            inputTable = .allocate(capacity: Int(max(szArg, nIn, 1)))
            outputTable = .allocate(capacity: Int(max(szRes, nOut, 1)))
            for (k, b) in inputs.enumerated() { inputTable[k] = UnsafePointer(b.baseAddress) }
            for (k, b) in outputs.enumerated() { outputTable[k] = b.baseAddress }
        }

        deinit {
            for b in inputs + outputs { b.baseAddress?.deallocate() }
            iw.deallocate(); w.deallocate(); inputTable.deallocate(); outputTable.deallocate()
        }

        public func input(_ k: Int) -> UnsafeMutableBufferPointer<Double> { inputs[k] }
        public func output(_ k: Int) -> UnsafeBufferPointer<Double> { UnsafeBufferPointer(outputs[k]) }
        public func run() { _ = entry(inputTable, outputTable, iw, w, 0) }
    }
}

public struct MPCError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

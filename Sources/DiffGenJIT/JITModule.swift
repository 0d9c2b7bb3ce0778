import CTCCShim
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A C compile failure, with tcc's message and the offending source line.
public struct JITError: Error, CustomStringConvertible, Sendable {
    /// tcc's messages, verbatim.
    public let message: String
    /// The first line tcc complained about (1-based), if it named one.
    public let line: Int?
    /// The text of that line.
    public let sourceLine: String?

    public var description: String {
        var text = "C compilation failed: \(message.trimmingTrailingNewlines)"
        if let line, let sourceLine { text += "\n  line \(line): \(sourceLine)" }
        return text
    }
}

/// C compiled in memory by libtcc: owns the code pages and frees them when released.
///
/// Code pages are read+execute and data pages (globals, static tables) read+write, never
/// writable and executable at once. All
/// libtcc calls are serialized behind one lock; calling compiled code needs none.
public final class JITModule: @unchecked Sendable {
    // @unchecked: the code pages and symbol table never change after init.
    private var code: dg_tcc_code
    private let symbols: [String: UnsafeRawPointer]

    /// Compiles `source` (no headers) and looks up `symbols`. The code may call the C library
    /// functions named in `libraryFunctions` (declared by prototype in the source), bound to
    /// this process's definitions by address.
    /// - Throws: `JITError` carrying tcc's message and the offending line, or naming a library
    ///   function this process does not have.
    public init(source: String, symbols names: [String], libraryFunctions: [String] = []) throws {
        var code = dg_tcc_code(memory: nil, size: 0)
        var addresses = [UnsafeMutableRawPointer?](repeating: nil, count: names.count)
        var errors = [CChar](repeating: 0, count: 8192)
        let libraryAddresses: [UnsafeRawPointer?] = try libraryFunctions.map { try LibrarySymbols.address(of: $0) }
        let status = names.withCStringArray { cNames in
            libraryFunctions.withCStringArray { cLibraryNames in
                addresses.withUnsafeMutableBufferPointer { addressBuffer in
                    errors.withUnsafeMutableBufferPointer { errorBuffer in
                        dg_tcc_compile(source, cLibraryNames, libraryAddresses, libraryFunctions.count,
                                       cNames, names.count, addressBuffer.baseAddress, &code,
                                       errorBuffer.baseAddress, errorBuffer.count)
                    }
                }
            }
        }
        guard status == 0 else {
            let message = String(decoding: errors.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let line = JITModule.firstLineNumber(in: message)
            let sourceLine = line.flatMap { n in source.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(n - 1).first.map(String.init) }
            throw JITError(message: message, line: line, sourceLine: sourceLine)
        }
        self.code = code
        var table: [String: UnsafeRawPointer] = [:]
        for (name, address) in zip(names, addresses) {
            if let address { table[name] = UnsafeRawPointer(address) }
        }
        symbols = table
    }

    deinit { dg_tcc_free(&code) }

    /// The address of a compiled symbol named at compile time, or nil.
    public func address(of symbol: String) -> UnsafeRawPointer? { symbols[symbol] }

    /// Bytes of code and data this module holds.
    public var codeSize: Int { code.size }

    /// tcc reports "<string>:LINE: error: …".
    static func firstLineNumber(in message: String) -> Int? {
        for line in message.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2)
            if parts.count >= 2, let n = Int(parts[1]) { return n }
        }
        return nil
    }
}

/// Addresses of C library functions in this process, looked up once each.
enum LibrarySymbols {
    private static let table = Mutex<[String: UInt]>([:])

    static func address(of name: String) throws -> UnsafeRawPointer {
        if let known = table.withLock({ $0[name] }) { return UnsafeRawPointer(bitPattern: known)! }
        // RTLD_DEFAULT (a null handle): every object loaded in the process, libm included.
        guard let found = dlsym(nil, name) else {
            throw JITError(message: "the C library function \(name) is not available in this process", line: nil, sourceLine: nil)
        }
        let bits = UInt(bitPattern: found)
        table.withLock { $0[name] = bits }
        return UnsafeRawPointer(found)
    }
}

extension Array where Element == String {
    /// Calls `body` with a C array of C strings that live for the call.
    func withCStringArray<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        var storage = map { strdup($0) }
        defer { storage.forEach { free($0) } }
        return storage.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: Swift.max(buffer.count, 1)) { body($0) }
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" { s.removeLast() }
        return s
    }
}

#if canImport(Glibc)
import Glibc
#endif

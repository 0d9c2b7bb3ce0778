import CTCCShim
import Foundation
import Testing

/// libtcc as the product uses it: through the shim's one lock, with no library path set (the
/// code is compiled `-nostdlib`, its C library functions bound by address), so the tests see
/// what the JIT sees on any architecture.
private func compile(_ source: String, library: [String] = [], symbols: [String]) -> (status: Int32, addresses: [UnsafeMutableRawPointer?], code: dg_tcc_code, errors: String) {
    var code = dg_tcc_code(memory: nil, size: 0)
    var addresses = [UnsafeMutableRawPointer?](repeating: nil, count: symbols.count)
    var errors = [CChar](repeating: 0, count: 4096)
    let libraryAddresses: [UnsafeRawPointer?] = library.map { UnsafeRawPointer(dlsym(nil, $0)) }
    let names = symbols.map { strdup($0) }, libraryNames = library.map { strdup($0) }
    defer { (names + libraryNames).forEach { free($0) } }
    let status = names.map { UnsafePointer($0) }.withUnsafeBufferPointer { cNames in
        libraryNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { cLibrary in
            dg_tcc_compile(source, cLibrary.baseAddress, libraryAddresses, library.count, cNames.baseAddress, symbols.count,
                           &addresses, &code, &errors, errors.count)
        }
    }
    return (status, addresses, code, String(cString: errors))
}

@Test func libtccCompilesAndCallsAFunctionInMemory() throws {
    var result = compile("double sin(double);\ndouble f(double x) { return 2 * sin(x); }", library: ["sin"], symbols: ["f"])
    defer { dg_tcc_free(&result.code) }
    try #require(result.status == 0, "\(result.errors)")
    let f = unsafeBitCast(try #require(result.addresses[0]), to: (@convention(c) (Double) -> Double).self)
    // At points where the answer is not zero, against this process's libm.
    for x in [0.5, -1.25, 3.0] { #expect(f(x) == 2 * sin(x)) }
}

@Test func libtccReportsCompileErrors() {
    var result = compile("double broken(double x) { return x +; }", symbols: ["broken"])
    defer { dg_tcc_free(&result.code) }
    #expect(result.status != 0)
    #expect(result.errors.contains("error"), "\(result.errors)")
}

/// An undeclared library function is an error, not a silent zero.
@Test func unboundLibraryFunctionsDoNotLink() {
    var result = compile("double cos(double);\ndouble f(double x) { return cos(x); }", symbols: ["f"])
    defer { dg_tcc_free(&result.code) }
    #expect(result.status != 0, "cos linked without being bound")
}

/// Many threads compiling at once all go through the shim's lock (libtcc 0.9.27 keeps global
/// state) and every module computes its own function.
@Test func concurrentCompilesThroughTheLock() async {
    let results = await withTaskGroup(of: Bool.self) { group in
        for k in 0..<16 {
            group.addTask {
                var result = compile("double f(double x) { return x * \(k).0 + 1; }", symbols: ["f"])
                defer { dg_tcc_free(&result.code) }
                guard result.status == 0, let address = result.addresses[0] else { return false }
                return unsafeBitCast(address, to: (@convention(c) (Double) -> Double).self)(2) == Double(2 * k + 1)
            }
        }
        return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 16 && results.allSatisfy { $0 })
}

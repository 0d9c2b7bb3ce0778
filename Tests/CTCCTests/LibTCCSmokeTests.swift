import CTCC
import Testing

/// Proves the libtcc install path: compile a function in memory and call it.
@Test func libtccCompilesAndCallsAFunctionInMemory() throws {
    let state = try #require(tcc_new(), "tcc_new failed")
    defer { tcc_delete(state) }
    tcc_set_lib_path(state, "/usr/lib/x86_64-linux-gnu/tcc")
    tcc_set_options(state, "-nostdlib")
    #expect(tcc_set_output_type(state, TCC_OUTPUT_MEMORY) == 0)
    let source = "double twice(double x) { return 2*x; }"
    #expect(tcc_compile_string(state, source) == 0)
    // 0.9.27: tcc_relocate(s, TCC_RELOCATE_AUTO) lets libtcc own the code memory.
    #expect(tcc_relocate(state, UnsafeMutableRawPointer(bitPattern: 1)) >= 0)
    let symbol = try #require(tcc_get_symbol(state, "twice"), "symbol 'twice' not found")
    typealias Twice = @convention(c) (Double) -> Double
    let twice = unsafeBitCast(symbol, to: Twice.self)
    #expect(twice(21) == 42)
    #expect(twice(-0.25) == -0.5)
}

/// A C error comes back through the error callback with tcc's message.
@Test func libtccReportsCompileErrors() throws {
    let state = try #require(tcc_new())
    defer { tcc_delete(state) }
    tcc_set_options(state, "-nostdlib")
    tcc_set_output_type(state, TCC_OUTPUT_MEMORY)
    final class Box { var messages: [String] = [] }
    let box = Box()
    let opaque = Unmanaged.passUnretained(box).toOpaque()
    tcc_set_error_func(state, opaque) { context, message in
        let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
        box.messages.append(String(cString: message!))
    }
    #expect(tcc_compile_string(state, "double broken(double x) { return x +; }") != 0)
    #expect(box.messages.contains { $0.contains("error") })
}

/// From `Function`s to native code in this process, through libtcc.
public enum JIT {
    /// Generates C shaped for tcc and compiles it in memory; one callable per function, in order.
    /// - Throws: `CodegenError` for unusable names, `JITError` with tcc's message if C fails.
    public static func compile(_ functions: [Function], options: CodegenOptions = CodegenOptions()) throws -> [NativeFunction] {
        var options = options
        options.compiler = .tcc
        options.interface = .casadi
        options.headerOnly = false
        options.withMain = false
        let code = try CGenerator.generate(functions, baseName: "jit", options: options)
        let names = functions.map { options.prefix + $0.name }
        // Identical C (same functions and options) reuses a live module: no second compile.
        let module = try JITCache.module(source: code.source!, symbols: names.flatMap(NativeFunction.symbols(of:)))
        return try names.map { try NativeFunction(name: $0, module: module) }
    }
}

extension Function {
    /// This function compiled to native code in memory (see `JIT.compile`).
    public func compiled(options: CodegenOptions = CodegenOptions()) throws -> NativeFunction {
        try JIT.compile([self], options: options)[0]
    }
}

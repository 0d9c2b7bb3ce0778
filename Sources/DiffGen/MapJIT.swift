extension LoopedFunction {
    /// This function compiled to native code in memory, like `Function.compiled`: tcc at once,
    /// and with `optimizeWith` the system compiler's build taking over in the background.
    /// - Throws: `MapError`, `CodegenError` or `JITError`.
    public func compiled(options: CodegenOptions = CodegenOptions(), optimizeWith compiler: SystemCompiler? = nil) throws -> NativeFunction {
        var options = JIT.internalOptions(options)
        options.batchLanes = nil
        var tccOptions = options
        tccOptions.compiler = .tcc
        let code = try generate(baseName: "jit", options: tccOptions)
        var optimized: GeneratedCode? = nil
        if compiler != nil {
            var standard = options
            standard.compiler = .standard
            optimized = try generate(baseName: "jit", options: standard)
        }
        return try JIT.load(tcc: code, optimized: optimized, names: [options.prefix + name], batched: false, compiler: compiler)[0]
    }
}

import Dispatch

/// From `Function`s to native code in this process, through libtcc.
public enum JIT {
    /// Generates C shaped for tcc and compiles it in memory; one callable per function, in order.
    ///
    /// With `optimizeWith`, the callables are usable at once on tcc's code while the system C
    /// compiler builds the same functions (C shaped for it) into a shared library in the
    /// background; when that is ready it is loaded and the callables switch to it atomically
    /// (`NativeFunction.tier`, `waitForOptimization`). Libraries are cached on disk by source,
    /// so a function built before is loaded without compiling. A failed build leaves the
    /// callables on tcc's code, with the compiler's message in `tier`.
    /// - Throws: `CodegenError` for unusable names, `JITError` with tcc's message if C fails.
    public static func compile(_ functions: [Function], options: CodegenOptions = CodegenOptions(),
                               optimizeWith compiler: SystemCompiler? = nil) throws -> [NativeFunction] {
        let options = internalOptions(options)
        var tccOptions = options
        tccOptions.compiler = .tcc
        let code = try CGenerator.generate(functions, baseName: "jit", options: tccOptions)
        let names = functions.map { options.prefix + $0.name }
        var optimizedCode: GeneratedCode? = nil
        if compiler != nil {
            var standard = options
            standard.compiler = .standard
            optimizedCode = try CGenerator.generate(functions, baseName: "jit", options: standard)
        }
        // Identical C (same functions and options) reuses a live module: no second compile.
        return try load(tcc: code, optimized: optimizedCode, names: names, batched: options.batchLanes != nil, compiler: compiler)
    }

    /// The JIT's C is internal: CasADi's interface (double ports, also for float arithmetic) with
    /// 64-bit indices and no files' extras, whatever the files a user generates use.
    static func internalOptions(_ options: CodegenOptions) -> CodegenOptions {
        var options = options
        options.interface = .casadi
        options.indexType = .longLong
        options.headerOnly = false
        options.withMain = false
        return options
    }

    /// Compiles `code` (C shaped for tcc, CasADi's interface with 64-bit indices) in memory and
    /// wraps functions `names`; with `compiler`, `optimized` (the same functions shaped for it)
    /// is built in the background and takes over (see `compile`).
    static func load(tcc code: GeneratedCode, optimized optimizedCode: GeneratedCode?, names: [String], batched: Bool,
                     compiler: SystemCompiler?) throws -> [NativeFunction] {
        let module = try JITCache.module(source: code.source!, symbols: names.flatMap { NativeFunction.symbols(of: $0, batched: batched) },
                                         libraryFunctions: CGenerator.librarySymbols)
        let callables = try names.enumerated().map { k, name in
            try NativeFunction(name: name, module: module, minimumWorkSize: optimizedCode?.workSizes[k] ?? 0,
                               minimumBatchWorkSize: batched ? optimizedCode?.batchWorkSizes[k] ?? 0 : 0)
        }
        if let compiler, let source = optimizedCode?.source {
            callables.forEach { $0.beginOptimization() }
            DispatchQueue.global(qos: .utility).async {
                let library: SharedLibrary
                do {
                    library = try compiler.load(source).library
                } catch {
                    callables.forEach { $0.endOptimization(failure: "\(error)") }
                    return
                }
                for callable in callables {
                    do {
                        try callable.adoptOptimized(library)
                        callable.endOptimization()
                    } catch {
                        callable.endOptimization(failure: "\(error)")
                    }
                }
            }
        }
        return callables
    }
}

extension Function {
    /// This function compiled to native code in memory (see `JIT.compile`).
    public func compiled(options: CodegenOptions = CodegenOptions(), optimizeWith compiler: SystemCompiler? = nil) throws -> NativeFunction {
        try JIT.compile([self], options: options, optimizeWith: compiler)[0]
    }
}

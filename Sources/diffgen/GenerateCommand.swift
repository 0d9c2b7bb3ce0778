import ArgumentParser
import DiffGen
import Foundation

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write C for every function of the model, its header, and build files.",
        discussion: """
        Writes NAME.c and NAME.h (NAME: the model file's name) into the output directory, with a \
        Makefile and a CMakeLists.txt that build a static and a shared library. With --abi both, \
        the plain interface goes to NAME_plain.c/.h, its symbols prefixed plain_.
        """
    )

    enum ABI: String, ExpressibleByArgument, CaseIterable { case casadi, plain, both }
    enum Real: String, ExpressibleByArgument, CaseIterable { case double, float }
    enum Index: String, ExpressibleByArgument, CaseIterable { case longLong = "long-long", int }

    @OptionGroup var model: ModelOptions
    @Option(name: .shortAndLong, help: "The output directory (created if missing).") var output: String
    @Option(help: "Arithmetic: double or float.") var real: Real = .double
    @Option(help: "The integer type of sizes and sparsity arrays: long-long (CasADi's default) or int (acados, C89 compilers).") var index: Index = .longLong
    @Option(help: "A prefix for every exported symbol.") var prefix: String = ""
    @Option(help: "The calling convention: casadi (CasADi's external ABI), plain, or both.") var abi: ABI = .casadi
    @Flag(help: "Everything in the header (static inline); no source file.") var headerOnly = false
    @Option(help: "Split functions into C functions of at most N operations (0: never).") var split: Int = 200
    @Flag(help: "Also emit CasADi's derivative functions for each function (jac_F, fwdN_F, adjN_F, and theirs), so casadi.external differentiates it.")
    var casadiDerivatives = false
    @Option(help: "With --casadi-derivatives: the largest N of fwdN_/adjN_ (N = 1, 2, 4, … up to it).") var maxDirections: Int = 1
    @Option(help: "With --casadi-derivatives: 1 for first derivatives, 2 to add second derivatives.") var derivativeOrder: Int = 2
    @Option(help: "Also emit NAME_batch (CasADi interface): many points per call, N points at a time as vector lanes (0: none).") var batchLanes: Int = 0
    @Flag(help: "With --batch-lanes: glibc's vector math functions (a few ulp, not bit-identical to single calls).") var vectorMath = false

    func run() throws {
        let built = try model.load()
        let base = ((model.model as NSString).lastPathComponent as NSString).deletingPathExtension
        guard Identifier.problem(base) == nil else {
            throw CommandFailure.input("the model file's name '\(base)' must be a C identifier: it names the generated files")
        }
        guard maxDirections >= 1, (1...2).contains(derivativeOrder) else {
            throw CommandFailure.input("--max-directions must be at least 1 and --derivative-order 1 or 2")
        }
        var functions = built.functions
        if casadiDerivatives {
            Progress.step("differentiating (CasADi's derivative convention)")
            let directions = Array(sequence(first: 1) { $0 * 2 }.prefix { $0 <= maxDirections })
            functions += try built.functions.flatMap { try CasADiDerivatives.functions(of: $0, directions: directions, order: derivativeOrder) }
        }
        var options = CodegenOptions()
        options.real = real == .float ? .float : .double
        options.prefix = prefix
        options.indexType = index == .int ? .int : .longLong
        options.headerOnly = headerOnly
        options.maxStatementsPerFunction = split > 0 ? split : nil
        options.batchLanes = batchLanes > 0 ? batchLanes : nil
        options.batchMath = vectorMath ? .vector : .exact
        var codes: [GeneratedCode] = []
        if !built.loops.isEmpty && (abi == .plain || headerOnly) {
            throw CommandFailure.input("\(model.model): loops are generated as source files behind CasADi's interface (not --abi plain or --header-only)")
        }
        do {
            if abi != .plain && !functions.isEmpty {
                Progress.step("generating C (CasADi interface)")
                options.interface = .casadi
                codes.append(try CGenerator.generate(functions, baseName: base, options: options))
            }
            if abi != .casadi && !functions.isEmpty {
                Progress.step("generating C (plain interface)")
                options.interface = .plain
                options.batchLanes = nil
                if abi == .both { options.prefix = prefix + "plain_" }
                codes.append(try CGenerator.generate(functions, baseName: abi == .both ? base + "_plain" : base, options: options))
            }
            // Each loop (map, fold, their derivatives) in a file of its own, named after it.
            var loopOptions = options
            loopOptions.interface = .casadi
            loopOptions.batchLanes = nil
            for loop in built.loops {
                Progress.step("generating C for loop \(loop.name)")
                codes.append(try loop.generate(baseName: loop.name, options: loopOptions))
            }
            Progress.done()
            // Everything is generated before anything is written: an error writes nothing.
            if !headerOnly {
                let usesMath = codes.contains { $0.source!.contains("#include <math.h>") }
                codes[codes.count - 1].buildFiles = try CGenerator.buildFiles(
                    baseName: base, sources: codes.map { "\($0.baseName).c" }, linkMath: usesMath)
            }
            for code in codes { try code.write(to: output) }
        } catch let error as CodegenError {
            throw CommandFailure.input("\(model.model): \(error)")
        } catch let error as MapError {
            throw CommandFailure.input("\(model.model): \(error)")
        }
        let files = codes.flatMap { code in (code.source == nil ? [] : ["\(code.baseName).c"]) + ["\(code.baseName).h"] + code.buildFiles.map(\.name) }
        print("wrote \(files.joined(separator: ", ")) to \(output)")
    }
}

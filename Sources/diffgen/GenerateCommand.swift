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

    @OptionGroup var model: ModelOptions
    @Option(name: .shortAndLong, help: "The output directory (created if missing).") var output: String
    @Option(help: "Arithmetic: double or float.") var real: Real = .double
    @Option(help: "A prefix for every exported symbol.") var prefix: String = ""
    @Option(help: "The calling convention: casadi (CasADi's external ABI), plain, or both.") var abi: ABI = .casadi
    @Flag(help: "Everything in the header (static inline); no source file.") var headerOnly = false
    @Option(help: "Split functions into C functions of at most N operations (0: never).") var split: Int = 200

    func run() throws {
        let built = try model.load()
        let base = ((model.model as NSString).lastPathComponent as NSString).deletingPathExtension
        guard Identifier.problem(base) == nil else {
            throw CommandFailure.input("the model file's name '\(base)' must be a C identifier: it names the generated files")
        }
        var options = CodegenOptions()
        options.real = real == .float ? .float : .double
        options.prefix = prefix
        options.headerOnly = headerOnly
        options.maxStatementsPerFunction = split > 0 ? split : nil
        var codes: [GeneratedCode] = []
        do {
            if abi != .plain {
                Progress.step("generating C (CasADi interface)")
                options.interface = .casadi
                codes.append(try CGenerator.generate(built.functions, baseName: base, options: options))
            }
            if abi != .casadi {
                Progress.step("generating C (plain interface)")
                options.interface = .plain
                if abi == .both { options.prefix = prefix + "plain_" }
                codes.append(try CGenerator.generate(built.functions, baseName: abi == .both ? base + "_plain" : base, options: options))
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
        }
        let files = codes.flatMap { code in (code.source == nil ? [] : ["\(code.baseName).c"]) + ["\(code.baseName).h"] + code.buildFiles.map(\.name) }
        print("wrote \(files.joined(separator: ", ")) to \(output)")
    }
}

import ArgumentParser
import DiffGen
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time to callable and time per call of every function, on both JIT tiers.",
        discussion: "Medians of several runs; the optimized tier is built with the system compiler (and cached)."
    )

    @OptionGroup var model: ModelOptions
    @Option(help: "Repetitions of each measurement (the median is printed).") var repetitions: Int = 5

    func run() throws {
        guard repetitions >= 1 else { throw CommandFailure.input("--repetitions must be at least 1") }
        let built = try model.load()
        var generator = SplitMix(seed: 7)
        for function in built.functions {
            let inputs = function.inputs.map { port in (0..<port.count).map { _ in generator.uniform(-1, 1) } }
            try bench(function.name, inputs, compile: { try function.compiled(options: $0, optimizeWith: $1) })
        }
        for loop in built.loops {
            let inputs = loop.inputPorts.map { port in (0..<port.size).map { _ in generator.uniform(-1, 1) } }
            try bench("loop \(loop.name)", inputs, compile: { try loop.compiled(options: $0, optimizeWith: $1) })
        }
    }

    /// Time to callable on the tcc tier, and time per call on both tiers, of what `compile` makes.
    private func bench(_ name: String, _ inputs: [[Double]], compile: (CodegenOptions, SystemCompiler?) throws -> NativeFunction) throws {
        // A fresh prefix each time: the JIT would otherwise hand back the module it already has.
        var callable: [Double] = []
        var native: NativeFunction? = nil
        for k in 0..<repetitions {
            var options = CodegenOptions()
            options.prefix = "bench\(k)_\(UInt32.random(in: 0...UInt32.max))_"
            let start = DispatchTime.now().uptimeNanoseconds
            native = try compile(options, nil)
            callable.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        let tcc = try Self.nanosecondsPerCall(native!, inputs, repetitions)
        Progress.step("building the optimized tier of \(name)")
        let start = DispatchTime.now().uptimeNanoseconds
        let optimized = try compile(CodegenOptions(), SystemCompiler())
        let tier = optimized.waitForOptimization(seconds: 600)
        let optimizedSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        Progress.done()
        print("\(name): time to callable \(Self.format(Self.median(callable))) (libtcc); \(Self.format(tcc * 1e-9)) per call on the tcc tier")
        if tier == .optimized {
            let fast = try Self.nanosecondsPerCall(optimized, inputs, repetitions)
            print("  optimized tier in place after \(Self.format(optimizedSeconds)); \(Self.format(fast * 1e-9)) per call (\(String(format: "%.2f", fast / tcc))× the tcc tier)")
        } else {
            print("  optimized tier: \(tier)")
        }
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func format(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        if seconds >= 1e-6 { return String(format: "%.2f µs", seconds * 1e6) }
        return String(format: "%.1f ns", seconds * 1e9)
    }

    /// Median over `repetitions` batches of calls lasting about 0.1 s each.
    static func nanosecondsPerCall(_ native: NativeFunction, _ inputs: [[Double]], _ repetitions: Int) throws -> Double {
        var flat = inputs.flatMap { $0 }
        var outputs = [Double](repeating: 0, count: native.outputSizes.reduce(0, +))
        var work = [Double](repeating: 0, count: max(native.workSize, 1))
        return flat.withUnsafeMutableBufferPointer { inBuffer in
            outputs.withUnsafeMutableBufferPointer { outBuffer in
                work.withUnsafeMutableBufferPointer { workBuffer in
                    var offset = 0
                    let inputPointers: [UnsafePointer<Double>?] = native.inputSizes.map { size in
                        defer { offset += size }
                        return UnsafePointer(inBuffer.baseAddress! + offset)
                    }
                    offset = 0
                    let outputPointers: [UnsafeMutablePointer<Double>?] = native.outputSizes.map { size in
                        defer { offset += size }
                        return outBuffer.baseAddress! + offset
                    }
                    return inputPointers.withUnsafeBufferPointer { ins in
                        outputPointers.withUnsafeBufferPointer { outs in
                            var batch = 1
                            while true {
                                let start = DispatchTime.now().uptimeNanoseconds
                                for _ in 0..<batch { native.call(inputs: ins.baseAddress!, outputs: outs.baseAddress!, work: workBuffer.baseAddress!) }
                                if DispatchTime.now().uptimeNanoseconds - start > 20_000_000 || batch > 1 << 26 { break }
                                batch *= 2
                            }
                            batch *= 5
                            var times: [Double] = []
                            for _ in 0..<repetitions {
                                let start = DispatchTime.now().uptimeNanoseconds
                                for _ in 0..<batch { native.call(inputs: ins.baseAddress!, outputs: outs.baseAddress!, work: workBuffer.baseAddress!) }
                                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(batch))
                            }
                            return median(times)
                        }
                    }
                }
            }
        }
    }
}

import DiffGenCore

/// The batched entry point of one function, `NAME_batch`: many points per call.
///
/// For gcc and clang every value becomes a short array of `lanes` points, and each run of
/// arithmetic between library calls is one loop over the lanes with the run's values as locals,
/// which the compiler vectorizes across points. Operations are the scalar code's, so every
/// lane's result equals a single call's bit for bit. For tcc, which vectorizes nothing, the
/// entry gathers each point and calls the scalar evaluator.
struct BatchEmitter {
    let linear: Linearization
    let name: String
    let dialect: CDialect
    let options: CodegenOptions
    let lanes: Int
    /// Doubles of work memory of the scalar evaluator (per-point form).
    let scalarWork: Int
    private(set) var mathFunctions = Set<String>()

    /// Names this adds to the file.
    var definedNames: [String] { ["\(name)_batch", "\(name)_batch_work", "\(name)_lanes"] }

    private var perPoint: Bool { options.compiler == .tcc }
    private var inputTotal: Int { linear.inputSizes.reduce(0, +) }
    private var outputTotal: Int { linear.outputSizes.reduce(0, +) }
    private var index: String { options.indexType.rawValue }

    /// Doubles of work memory `NAME_batch` needs.
    var workSize: Int {
        perPoint ? inputTotal + outputTotal + scalarWork : (inputTotal + outputTotal) * lanes + linear.slotCount * lanes
    }

    /// Writes the lanes function (vectorizing compilers) and the entry point.
    mutating func write(into out: inout CWriter) throws {
        let export = options.headerOnly ? "static inline" : "CASADI_SYMBOL_EXPORT"
        var body = CWriter()
        if perPoint {
            writePerPoint(into: &body)
        } else {
            let parameters = linear.inputSizes.indices.map { "const double* DG_RESTRICT x\($0)" } + ["\(index) s"]
                + linear.outputSizes.indices.map { "double* DG_RESTRICT r\($0)" }
            try Template.named("c/batch_lanes.c").render([
                "attributes": vectorMath ? "DG_VECTOR_MATH " : "", "name": name, "lanes": "\(lanes)", "parameters": parameters.joined(separator: ", "), "index": index,
                "body": lanesBody(),
            ], into: &out)
            writeBlocks(into: &body)
        }
        try Template.named("c/batch.c").render([
            "name": name, "export": export, "index": index, "work": "\(max(1, workSize))", "body": body,
        ], into: &out)
    }

    /// Prototypes for the header.
    var declarations: String {
        "\(index) \(name)_batch_work(void);\nint \(name)_batch(const double** arg, double** res, \(index) n, \(index) stride, double* w);\n"
    }

    /// Offsets of the staged inputs, then outputs, in `w` (`width` values per entry).
    private func stagingOffsets(width: Int) -> (inputs: [Int], outputs: [Int]) {
        var offset = 0
        let inputs = linear.inputSizes.map { size in defer { offset += size * width }; return offset }
        let outputs = linear.outputSizes.map { size in defer { offset += size * width }; return offset }
        return (inputs, outputs)
    }

    private func writePerPoint(into w: inout CWriter) {
        let (inputs, outputs) = stagingOffsets(width: 1)
        w.write(text: "  for (p = 0; p < n; ++p) {\n")
        for (i, size) in linear.inputSizes.enumerated() {
            w.write(text: "    for (k = 0; k < \(size); ++k) w[\(inputs[i]) + k] = arg[\(i)][k * stride + p];\n")
        }
        let arguments = inputs.map { "w + \($0)" } + outputs.map { "w + \($0)" } + ["w + \(inputTotal + outputTotal)"]
        w.write(text: "    \(name)_eval(\(arguments.joined(separator: ", ")));\n")
        for (j, size) in linear.outputSizes.enumerated() {
            w.write(text: "    for (k = 0; k < \(size); ++k) res[\(j)][k * stride + p] = w[\(outputs[j]) + k];\n")
        }
        w.write(text: "  }\n")
    }

    /// Blocks of `lanes` points: inputs read from the caller's arrays (a last partial block's
    /// through staging, its idle lanes repeating the block's first point), outputs written to
    /// staging with a fixed stride (a caller's stride would keep the compiler from proving the
    /// stores independent) and copied out.
    private func writeBlocks(into w: inout CWriter) {
        let (inputs, outputs) = stagingOffsets(width: lanes)
        let scratch = "w + \((inputTotal + outputTotal) * lanes)"
        let staged = outputs.map { "w + \($0)" }
        w.write(text: "  for (p = 0; p < n; p += \(lanes)) {\n    m = n - p < \(lanes) ? n - p : \(lanes);\n")
        let direct = linear.inputSizes.indices.map { "arg[\($0)] + p" } + ["stride"] + staged + [scratch]
        w.write(text: "    if (m == \(lanes)) {\n      \(name)_lanes(\(direct.joined(separator: ", ")));\n    } else {\n")
        for (i, size) in linear.inputSizes.enumerated() {
            w.write(text: "      for (k = 0; k < \(size); ++k) for (l = 0; l < \(lanes); ++l) w[\(inputs[i]) + k * \(lanes) + l] = arg[\(i)][k * stride + p + (l < m ? l : 0)];\n")
        }
        let fromStaging = inputs.map { "w + \($0)" } + ["\(lanes)"] + staged + [scratch]
        w.write(text: "      \(name)_lanes(\(fromStaging.joined(separator: ", ")));\n    }\n")
        for (j, size) in linear.outputSizes.enumerated() {
            w.write(text: "    for (k = 0; k < \(size); ++k) for (l = 0; l < m; ++l) res[\(j)][k * stride + p + l] = w[\(outputs[j]) + k * \(lanes) + l];\n")
        }
        w.write(text: "  }\n")
    }

    private var vectorMath: Bool { options.batchMath == .vector }

    /// Arithmetic the compiler can do on a vector of lanes; library calls stay scalar (with
    /// vector math, sqrt, floor, ceil and copysign, which set no errno, become instructions).
    private func vectorizes(_ op: Op) -> Bool {
        op.cMathFunction == nil || op == .abs || (vectorMath && [.sqrt, .floor, .ceil, .copysign].contains(op))
    }

    /// Library calls that get a loop of their own: with vector math, each call with a vector
    /// version (gcc would otherwise merge a sine and cosine of one argument into a `sincos`,
    /// which it cannot vectorize).
    private func callsAlone(_ op: Op) -> Bool { vectorMath && op.cMathFunctionHasGlibcVectorVersion }

    /// Most operations in one loop over the lanes: longer loops keep more values live than the
    /// vector registers hold (Panda Jacobian, 8 lanes: runs of 100 were fastest of 50–1000).
    static let runLimit = 100

    /// The lanes function's body: runs of steps, each one loop over the lanes.
    private mutating func lanesBody() -> CWriter {
        let steps = linear.steps
        let limit = Self.runLimit
        // run[i]: the run of step i. A run holds steps of one kind (vector or call), at most
        // `limit` operations; stores join the run of the value they store.
        var run = [Int32](repeating: 0, count: steps.count)
        var current: Int32 = -1, kind = false, inRun = 0
        for (i, step) in steps.enumerated() {
            if case .compute(let op, _, _, _) = step {
                let vector = vectorizes(op)
                if current < 0 || vector != kind || inRun == limit || callsAlone(op) { current += 1; kind = vector; inRun = 0 }
                inRun += 1
            }
            run[i] = max(current, 0)
        }
        // Values read in a later run live in `a`.
        let crosses = linear.valuesReadInAnotherPart(run)
        let localNames: [[UInt8]] = (0..<linear.slotCount).map { Array("w\($0)".utf8) }
        let laneNames: [[UInt8]] = (0..<linear.slotCount).map { Array("a[\($0 * lanes) + l]".utf8) }
        let laneReads: [[UInt8]] = (0..<linear.slotCount).map { Array(dialect.read("a[\($0 * lanes) + l]").utf8) }
        var spelling = laneReads
        var leaves = LeafSpellings(inputSizes: linear.inputSizes, dialect: dialect) { "x\($0)[\($1) * s + l]" }
        func spell(_ ref: Linearization.Ref) -> [UInt8] {
            if case .slot(let k) = ref { return spelling[Int(k)] }
            return leaves.spell(ref)
        }
        var w = CWriter(capacity: 80 * steps.count + 256)
        var start = 0
        while start < steps.count {
            var end = start
            while end < steps.count && run[end] == run[start] { end += 1 }
            w.write(text: "  for (l = 0; l < \(lanes); ++l) {\n")
            var locals: [Int] = []
            for i in start..<end {
                if case .compute(_, let slot, _, _) = steps[i], !crosses[i] { locals.append(slot) }
            }
            locals = Array(Set(locals)).sorted()
            var k = 0
            while k < locals.count {
                w.write(text: "    \(dialect.realName) " + locals[k..<min(k + 8, locals.count)].map { "w\($0)" }.joined(separator: ", ") + ";\n")
                k += 8
            }
            for i in start..<end {
                switch steps[i] {
                case .compute(let op, let slot, let operands, let literal):
                    // Operands are spelled before the slot takes its new name.
                    let (x, y, z) = operands.spelled(by: spell)
                    if let function = op.cMathFunction { mathFunctions.insert(function) }
                    let widens = crosses[i] && dialect.convertsReads
                    w.write("    ")
                    w.write(bytes: crosses[i] ? laneNames[slot] : localNames[slot])
                    w.write(widens ? " = (double)(" : " = ")
                    dialect.write(op, x, y, z, literal: literal, into: &w)
                    w.write(widens ? ");\n" : ";\n")
                    spelling[slot] = crosses[i] ? laneReads[slot] : localNames[slot]
                case .store(let port, let index, let value):
                    w.write(text: "    r\(port)[\(index * lanes) + l] = ")
                    if dialect.convertsReads { w.write("(double)") }
                    w.write(bytes: spell(value))
                    w.write(";\n")
                case .define: break
                }
            }
            w.write("  }\n")
            start = end
        }
        return w
    }
}

import DiffGenCore

/// The C of one function: its evaluator and its interface (CasADi or plain).
struct FunctionEmitter {
    let linear: Linearization
    let name: String
    let dialect: CDialect
    let options: CodegenOptions
    private(set) var mathFunctions = Set<String>()
    private var body = CWriter()

    /// Above this many slots, values live in the caller's work array instead of locals. For
    /// gcc/clang, locals let the compiler keep values in registers and drop dead stores (work
    /// array stores are visible to the caller), so the cap only bounds the stack frame (256 KiB);
    /// tcc gives every local its own stack slot, so its cap keeps the frame at 32 KiB.
    static func workArrayThreshold(_ compiler: CodegenOptions.Compiler) -> Int { compiler == .tcc ? 4096 : 32768 }
    private var slotsInWorkArray: Bool { linear.slotCount > Self.workArrayThreshold(options.compiler) }
    /// Doubles of work memory for slots: all of them in work-array mode or when a split
    /// function passes values between its parts, else none.
    private var workSlots = 0
    /// Doubles of work memory: slots, then one sink per output for NULL outputs.
    var workSize: Int { workSlots + linear.outputSizes.reduce(0, +) }
    /// The separately compiled parts of a split function (empty when not split).
    private var parts: [CWriter] = []

    init(linear: Linearization, name: String, dialect: CDialect, options: CodegenOptions) throws {
        self.linear = linear
        self.name = name
        self.dialect = dialect
        self.options = options
        let limit = options.maxStatementsPerFunction ?? Int.max
        let splittable = options.compiler == .standard && !linear.steps.contains { if case .define = $0 { true } else { false } }
        if splittable && linear.operationCount > limit && Self.worthSplitting(linear) {
            emitParts(limit: max(1, limit))
        } else {
            workSlots = slotsInWorkArray ? linear.slotCount : 0
            body = emitBody()
        }
    }

    /// Every file-level C name this function's code defines (functions, arrays, macros), so two
    /// functions of one file can be checked for clashes before any C is written.
    var definedNames: [String] {
        var names = [name, "\(name)_eval"] + parts.indices.map { "\(name)_part\($0)" }
        switch options.interface {
        case .casadi:
            names += ["_zeros", "_alloc_mem", "_init_mem", "_free_mem", "_checkout", "_release", "_incref", "_decref",
                      "_n_in", "_n_out", "_default_in", "_name_in", "_name_out", "_sparsity_in", "_sparsity_out", "_work"].map { name + $0 }
            names += linear.inputSizes.indices.map { "\(name)_s_in\($0)" } + linear.outputSizes.indices.map { "\(name)_s_out\($0)" }
        case .plain:
            names.append(name.uppercased() + "_WORK")
        }
        return names
    }

    private var export: String { options.headerOnly ? "static inline" : (options.interface == .casadi ? "CASADI_SYMBOL_EXPORT" : "") }

    private var signature: String {
        func ports(_ names: [String], _ shapes: [(rows: Int, cols: Int)], _ counts: [Int]) -> String {
            zip(zip(names, shapes), counts).map { port, count in
                let dense = port.1.rows * port.1.cols == count
                return "\(port.0)[\(port.1.rows)x\(port.1.cols)\(dense ? "" : ", \(count) nonzeros")]"
            }.joined(separator: ", ")
        }
        return "(\(ports(linear.inputNames, linear.inputShapes, linear.inputSizes))) -> (\(ports(linear.outputNames, linear.outputShapes, linear.outputSizes))), \(linear.operationCount) operations"
    }

    private mutating func emitBody() -> CWriter {
        var w = CWriter(capacity: 64 * linear.steps.count + 256)
        // Declarations first: C89 compilers refuse them after a statement.
        if !slotsInWorkArray { writeLocals(Array(0..<linear.slotCount), into: &w) }
        writeVoidCasts(into: &w)
        // Spellings of slots and inputs, made once and reused for every mention.
        let inArray = slotsInWorkArray
        let slotNames: [[UInt8]] = (0..<linear.slotCount).map { Array((inArray ? "work[\($0)]" : "w\($0)").utf8) }
        let slotReads = inArray ? (0..<linear.slotCount).map { Array(dialect.read("work[\($0)]").utf8) } : slotNames
        var spellings = BodySpellings(slotNames: slotReads, leaves: LeafSpellings(inputSizes: linear.inputSizes, dialect: dialect))
        var scratch = CWriter(capacity: 256)
        let tcc = options.compiler == .tcc
        // `sincos` writes through pointers of the arithmetic type: not into a double work array.
        let pairsSineAndCosine = tcc && !(inArray && dialect.convertsReads)
        var pairedAt = -1  // a step already computed by a `sincos` call
        var storedThrough = -1  // the last store already written as part of an assignment
        for (i, step) in linear.steps.enumerated() where i != pairedAt && i > storedThrough {
            switch step {
            case .compute(let op, let slot, let operands, let literal):
                if pairsSineAndCosine, let (partner, partnerSlot) = sineCosinePartner(after: i) {
                    let (sine, cosine) = op == .sin ? (slot, partnerSlot) : (partnerSlot, slot)
                    writeSineCosine(of: spellings.spell(operands.first), sine: slotNames[sine], cosine: slotNames[cosine], into: &w)
                    pairedAt = partner
                    continue
                }
                let (x, y, z) = spellings.spell(operands)
                w.write("  ")
                if tcc && !dialect.convertsReads {
                    // `r0[3] = r0[7] = w5 = …;`: tcc stores the value from its register, where
                    // separate stores would reload it from the stack slot just written, waiting
                    // on store-to-load forwarding (n-body Hessian: 16–25% faster).
                    var k = i + 1
                    while k < linear.steps.count, case .store(let port, let index, let value) = linear.steps[k], value == .slot(Int32(slot)) {
                        writeStoreTarget(port: port, index: index, into: &w)
                        w.write(" = ")
                        k += 1
                    }
                    storedThrough = k - 1
                }
                writeAssignment(to: slotNames[slot], toStorage: inArray, op, x, y, z, literal: literal, tcc: tcc, into: &w)
            case .define(let op, let index, let operands, let literal):
                let (x, y, z) = spellings.spell(operands)
                if let function = Self.mathFunction(op, tcc: tcc) { mathFunctions.insert(function) }
                scratch.reset()
                scratch.write("(")
                dialect.write(op, x, y, z, literal: literal, into: &scratch)
                scratch.write(")")
                spellings.define(index, scratch.bytes)
            case .store(let port, let index, let value):
                writeStore(port: port, index: index, value: spellings.spell(value), into: &w)
            }
        }
        return w
    }

    /// Splits the schedule into functions of at most `limit` operations each, called in order
    /// from the evaluator: gcc and clang spend super-linear time on one huge function. Values
    /// read in a later part than the one computing them pass through the work array (at their
    /// slot's index); the rest stay locals of their part.
    private mutating func emitParts(limit: Int) {
        let steps = linear.steps
        var partOf = [Int32](repeating: 0, count: steps.count)
        var part: Int32 = 0, inPart = 0
        for (i, step) in steps.enumerated() {
            if case .compute = step {
                if inPart == limit { part += 1; inPart = 0 }
                inPart += 1
            }
            partOf[i] = part
        }
        let partCount = Int(part) + 1
        let crosses = linear.valuesReadInAnotherPart(partOf)
        workSlots = crosses.contains(true) ? linear.slotCount : 0
        let localNames: [[UInt8]] = (0..<linear.slotCount).map { Array("w\($0)".utf8) }
        let workNames: [[UInt8]] = (0..<linear.slotCount).map { Array("work[\($0)]".utf8) }
        let workReads: [[UInt8]] = (0..<linear.slotCount).map { Array(dialect.read("work[\($0)]").utf8) }
        var current = localNames
        var leaves = LeafSpellings(inputSizes: linear.inputSizes, dialect: dialect)
        func spell(_ ref: Linearization.Ref) -> [UInt8] {
            switch ref {
            case .slot(let k): return current[Int(k)]
            case .constant, .input: return leaves.spell(ref)
            case .inlined: preconditionFailure("nested values are never split")
            }
        }
        var start = 0
        for k in 0..<partCount {
            var end = start
            while end < steps.count && partOf[end] == Int32(k) { end += 1 }
            var locals: [Int] = []
            for i in start..<end {
                if case .compute(_, let slot, _, _) = steps[i], !crosses[i] { locals.append(slot) }
            }
            locals = Array(Set(locals)).sorted()
            var w = CWriter(capacity: 64 * (end - start) + 256)
            writeLocals(locals, into: &w)
            writeVoidCasts(into: &w, outputs: true)
            for i in start..<end {
                switch steps[i] {
                case .compute(let op, let slot, let operands, let literal):
                    // Operands are spelled before the slot takes its new name.
                    let target = crosses[i] ? workNames[slot] : localNames[slot]
                    let (x, y, z) = operands.spelled(by: spell)
                    w.write("  ")
                    writeAssignment(to: target, toStorage: crosses[i], op, x, y, z, literal: literal, tcc: false, into: &w)
                    current[slot] = crosses[i] ? workReads[slot] : target
                case .store(let port, let index, let value):
                    writeStore(port: port, index: index, value: spell(value), into: &w)
                case .define: break
                }
            }
            parts.append(w)
            start = end
        }
        // The evaluator calls the parts in order.
        let arguments = (linear.inputSizes.indices.map { "x\($0)" } + linear.outputSizes.indices.map { "r\($0)" } + ["work"]).joined(separator: ", ")
        body = CWriter()
        body.write(text: (0..<partCount).map { "  \(name)_part\($0)(\(arguments));\n" }.joined())
    }

    /// Splitting pays when many values are live at once (gcc's register allocator then spills
    /// worse than parts passing values through the work array: the Hessians of mlp_hessian,
    /// cartpole_ms and nbody_energy run 10–30 % faster, and compile 2–3× faster) or when the
    /// function is so large that compile time dominates. A function with few live values runs
    /// best whole (cartpole_ms's constraint Jacobian: 4 % slower split).
    static func worthSplitting(_ linear: Linearization) -> Bool {
        linear.slotCount > 64 || linear.operationCount > 20_000
    }

    private func writeVoidCasts(into w: inout CWriter, outputs: Bool = false) {
        for k in linear.inputSizes.indices {
            w.write("  (void)x")
            w.write(k)
            w.write(";\n")
        }
        for k in linear.outputSizes.indices where outputs {
            w.write("  (void)r")
            w.write(k)
            w.write(";\n")
        }
        w.write("  (void)work;\n")
    }

    /// `double w3, w7, …;`, eight per line.
    private func writeLocals(_ slots: [Int], into w: inout CWriter) {
        var k = 0
        while k < slots.count {
            w.write("  ")
            w.write(text: dialect.realName)
            w.write(" ")
            for j in k..<min(k + 8, slots.count) {
                if j > k { w.write(", ") }
                w.write("w")
                w.write(slots[j])
            }
            w.write(";\n")
            k += 8
        }
    }

    /// `target = op(operands);` (after the caller's indent), noting the math function it calls.
    /// A float value stored into a double work array is widened explicitly (exact).
    private mutating func writeAssignment(to target: [UInt8], toStorage: Bool, _ op: Op, _ x: [UInt8], _ y: [UInt8], _ z: [UInt8],
                                          literal: Int32, tcc: Bool, into w: inout CWriter) {
        if let function = Self.mathFunction(op, tcc: tcc) { mathFunctions.insert(function) }
        let widens = toStorage && dialect.convertsReads
        w.write(bytes: target)
        w.write(widens ? " = (double)(" : " = ")
        dialect.write(op, x, y, z, literal: literal, into: &w)
        w.write(widens ? ");\n" : ";\n")
    }

    /// The step computing the partner of step `i` (`cos(x)` for `sin(x)` or the reverse) when it
    /// follows with only stores between and writes another slot, with that slot.
    private func sineCosinePartner(after i: Int) -> (step: Int, slot: Int)? {
        guard case .compute(let op, let slot, let operands, _) = linear.steps[i], op == .sin || op == .cos else { return nil }
        var j = i + 1
        while j < linear.steps.count, case .store = linear.steps[j] { j += 1 }
        guard j < linear.steps.count, case .compute(let next, let nextSlot, let nextOperands, _) = linear.steps[j],
              next == (op == .sin ? .cos : .sin), nextSlot != slot, nextOperands.first == operands.first else { return nil }
        return (j, nextSlot)
    }

    /// `  sincos(x, &sine, &cosine);` (a GNU libm function; tcc mode binds it by address).
    private mutating func writeSineCosine(of x: [UInt8], sine: [UInt8], cosine: [UInt8], into w: inout CWriter) {
        let function = options.real == .float ? "sincosf" : "sincos"
        mathFunctions.insert("sincos")
        w.write("  ")
        w.write(text: function)
        w.write("(")
        w.write(bytes: x)
        w.write(", &")
        w.write(bytes: sine)
        w.write(", &")
        w.write(bytes: cosine)
        w.write(");\n")
    }

    private func writeStore(port: Int, index: Int, value: [UInt8], into w: inout CWriter) {
        w.write("  ")
        writeStoreTarget(port: port, index: index, into: &w)
        // A float stored into a double output is widened explicitly (exact).
        w.write(dialect.convertsReads ? " = (double)" : " = ")
        w.write(bytes: value)
        w.write(";\n")
    }

    /// `r0[3]`.
    private func writeStoreTarget(port: Int, index: Int, into w: inout CWriter) {
        w.write("r")
        w.write(port)
        w.write("[")
        w.write(index)
        w.write("]")
    }

    /// The libm function an op calls in the emitted code, if any.
    static func mathFunction(_ op: Op, tcc: Bool) -> String? {
        tcc && op == .abs ? nil : op.cMathFunction
    }

    /// `restrict` (spelled `DG_RESTRICT`, which C++ compilers read as their extension): inputs,
    /// outputs and work never overlap (a NULL output gets its own sink), so the compiler may keep
    /// inputs in registers across output stores.
    private var evalParameters: String {
        let real = dialect.storageName
        let inputs = linear.inputSizes.indices.map { "const \(real)* DG_RESTRICT x\($0)" }
        let outputs = linear.outputSizes.indices.map { "\(real)* DG_RESTRICT r\($0)" }
        return (inputs + outputs + ["\(real)* DG_RESTRICT work"]).joined(separator: ", ")
    }

    /// Writes the evaluator (and its parts) and the interface functions.
    func writeDefinitions(into out: inout CWriter) throws {
        // Header-only code is all the user sees, so it carries the work-size define too.
        if options.interface == .plain && options.headerOnly { out.write(text: "\n" + (try workDefine())) }
        if !parts.isEmpty {
            try Template.named("c/noinline_macro.c").render([:], into: &out)
            for (k, part) in parts.enumerated() {
                try Template.named("c/eval_part.c").render([
                    "name": name, "index": "\(k)", "count": "\(parts.count)", "parameters": evalParameters, "body": part,
                ], into: &out)
            }
            out.write("\n")
        }
        try Template.named("c/eval.c").render([
            "name": name, "signature": signature, "storage": options.headerOnly ? "static inline" : "static",
            "parameters": evalParameters, "body": body,
        ], into: &out)
        switch options.interface {
        case .casadi: out.write(text: try casadiInterface())
        case .plain: out.write(text: try plainInterface(template: "c/plain_abi.c"))
        }
    }

    func declarations() throws -> String {
        switch options.interface {
        case .casadi:
            return try CasADiInterface.declarations(name: name, signature: signature, work: max(1, workSize),
                                                    sparsity: sparsityDescription, options: options)
        case .plain: return try workDefine() + (try plainInterface(template: "c/plain_abi.h"))
        }
    }

    private func workDefine() throws -> String {
        try Template.named("c/plain_work.h").render([
            "name": name, "signature": signature, "upper": name.uppercased(), "work": "\(max(1, workSlots))",
            "sparsity": sparsityDescription,
        ])
    }

    /// For each sparse output, its pattern in CasADi's compressed-column form (the order its
    /// nonzeros are stored in), for the header's readers; long ones are left to the code.
    private var sparsityDescription: String {
        var text = ""
        for (k, pattern) in linear.outputPatterns.enumerated() where pattern.nonzeroCount < pattern.rows * pattern.cols {
            text += "\n   \(linear.outputNames[k]): "
            if pattern.nonzeroCount <= 200 {
                text += "column starts [" + pattern.columnStarts.map { "\($0)" }.joined(separator: ", ") + "], rows ["
                    + pattern.rowIndices.map { "\($0)" }.joined(separator: ", ") + "]"
            } else {
                text += "\(pattern.nonzeroCount) nonzeros in compressed columns (\(options.interface == .casadi ? "\(name)_sparsity_out(\(k))" : "listed in the source"))"
            }
        }
        return text
    }

    private func casadiInterface() throws -> String {
        try CasADiInterface.definitions(name: name, ports: PortLayout(linear), sinkStart: workSlots, work: max(1, workSize),
                                        export: export, options: options)
    }

    private func plainInterface(template: String) throws -> String {
        let real = dialect.storageName
        let inputs = linear.inputSizes.indices.map { "const \(real)* in\($0)" }
        let outputs = linear.outputSizes.indices.map { "\(real)* out\($0)" }
        let parameters = (inputs + outputs + ["\(real)* work"]).joined(separator: ", ")
        if template.hasSuffix(".h") {
            return try Template.named(template).render(["name": name, "parameters": parameters])
        }
        let arguments = linear.inputSizes.indices.map { "in\($0)" } + linear.outputSizes.indices.map { "out\($0)" } + ["work"]
        return try Template.named(template).render([
            "name": name, "export": export, "parameters": parameters, "arguments": arguments.joined(separator: ", "),
        ])
    }
}

extension Linearization.Operands {
    /// Spellings of up to three operands, in order (absent ones repeat the first).
    func spelled(by spell: (Linearization.Ref) -> [UInt8]) -> ([UInt8], [UInt8], [UInt8]) {
        let x = spell(first)
        let y = count > 1 ? spell(second) : x
        let z = count > 2 ? spell(third) : x
        return (x, y, z)
    }
}

/// Operand spellings in a whole function: slots by name, leaves cached, and nested (inlined)
/// expressions handed over once to their single user.
private struct BodySpellings {
    let slotNames: [[UInt8]]
    var leaves: LeafSpellings
    var definitions: [[UInt8]] = []

    mutating func spell(_ ref: Linearization.Ref) -> [UInt8] {
        switch ref {
        case .slot(let k): return slotNames[Int(k)]
        case .inlined(let index):
            // Used exactly once: hand over the text and drop our copy.
            let k = Int(index)
            let text = definitions[k]
            definitions[k] = []
            return text
        case .constant, .input: return leaves.spell(ref)
        }
    }

    mutating func spell(_ operands: Linearization.Operands) -> ([UInt8], [UInt8], [UInt8]) {
        operands.spelled { spell($0) }
    }

    mutating func define(_ index: Int, _ text: [UInt8]) {
        precondition(definitions.count == index, "definitions are numbered in order")
        definitions.append(text)
    }
}

/// C spellings of constants and input entries, each made once and reused for every mention.
struct LeafSpellings {
    private var inputs: [[[UInt8]?]]
    /// The storage expression of entry `index` of input `port` (`x0[3]`; batched code adds lanes).
    private let inputEntry: (Int, Int) -> String
    private var literals: [UInt64: [UInt8]] = [:]
    /// The last literals spelled, by a cheap hash of their bits: a few constants recur in most
    /// statements, and the dictionary's hashing cost more than the spelling it saved.
    private var recent = [(bits: UInt64, text: [UInt8])?](repeating: nil, count: 64)
    private let dialect: CDialect

    init(inputSizes: [Int], dialect: CDialect, inputEntry: @escaping (Int, Int) -> String = { "x\($0)[\($1)]" }) {
        inputs = inputSizes.map { [[UInt8]?](repeating: nil, count: $0) }
        self.dialect = dialect
        self.inputEntry = inputEntry
    }

    mutating func spell(_ ref: Linearization.Ref) -> [UInt8] {
        switch ref {
        case .constant(let value):
            let bits = value.bitPattern
            let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 58)
            if let hit = recent[slot], hit.bits == bits { return hit.text }
            let text: [UInt8]
            if let cached = literals[bits] {
                text = cached
            } else {
                text = Array(dialect.literal(value).utf8)
                literals[bits] = text
            }
            recent[slot] = (bits, text)
            return text
        case .input(let inputPort, let inputIndex):
            let (port, index) = (Int(inputPort), Int(inputIndex))
            if let cached = inputs[port][index] { return cached }
            let name = Array(dialect.read(inputEntry(port, index)).utf8)
            inputs[port][index] = name
            return name
        case .slot, .inlined:
            preconditionFailure("only constants and inputs are leaves")
        }
    }
}

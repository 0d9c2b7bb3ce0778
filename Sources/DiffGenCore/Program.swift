/// A `Function` flattened to straight-line instructions over numbered slots: the form the
/// interpreter runs.
///
/// Only nodes the outputs depend on get slots, in ascending id order (a topological order).
/// One-operand instructions repeat their operand in the unused fields so every read is in range.
struct Program {
    struct Instruction {
        var op: Op
        var out: Int32
        var a: Int32
        var b: Int32
        var c: Int32
        var literal: Int32
    }

    let instructions: OwnedBuffer<Instruction>
    var slotCount = 0
    var constants: [(slot: Int32, value: Double)] = []
    var inputSlots: [[Int32]] = []
    var outputSlots: [[Int32]] = []

    init(_ function: Function) {
        var instructions: [Instruction] = []
        let graph = function.context.graph
        let marked = graph.reachable(from: function.outputs.flatMap(\.nodes))
        var slotOf = [Int32](repeating: -1, count: marked.count)
        for index in 0..<marked.count where marked[index] {
            let id = NodeID(index)
            let slot = Int32(slotCount)
            slotOf[index] = slot
            slotCount += 1
            let op = graph.op(id)
            switch op.operandCount {
            case 0:
                if let value = graph.constantValue(id) { constants.append((slot, value)) }
            default:
                let x = slotOf[graph.operand(0, of: id).index]
                let y = op.operandCount > 1 ? slotOf[graph.operand(1, of: id).index] : x
                let z = op.operandCount > 2 ? slotOf[graph.operand(2, of: id).index] : x
                let literal = op == .powi ? graph.powiExponent(id) : 0
                instructions.append(Instruction(op: op, out: slot, a: x, b: y, c: z, literal: literal))
            }
        }
        // An input entry the outputs do not use still needs somewhere to be written: slot -1
        // means "ignore".
        inputSlots = function.inputs.map { port in
            port.nodes.map { $0.index < slotOf.count ? slotOf[$0.index] : -1 }
        }
        outputSlots = function.outputs.map { port in port.nodes.map { slotOf[$0.index] } }
        self.instructions = OwnedBuffer(instructions)
    }

    /// Runs every instruction on `lanes` points at once; slot `s` of lane `p` is
    /// `work[s*stride + p]`, with `lanes <= stride`. Plain loops: no allocation even unoptimized.
    func run(_ work: UnsafeMutablePointer<Double>, lanes: Int, stride: Int) {
        let code = instructions.base
        var n = 0
        while n < instructions.count {
            let instruction = code[n]
            let out = work + Int(instruction.out) * stride
            let x = work + Int(instruction.a) * stride
            let y = work + Int(instruction.b) * stride
            let z = work + Int(instruction.c) * stride
            let op = instruction.op, literal = instruction.literal
            var p = 0
            while p < lanes {
                out[p] = ScalarSemantics.evaluate(op, x[p], y[p], z[p], literal: literal)
                p += 1
            }
            n += 1
        }
    }
}

@_spi(Scratch) import DiffGenCore

/// A `Function` flattened to straight-line steps in schedule order: what the C emitter prints.
///
/// Only operations the outputs depend on appear (dead code is never scheduled; hash-consing
/// already shared every common subexpression). Each operation writes a numbered slot, and slots
/// are reused after their value's last use (lowest free slot first, so the result is
/// deterministic), which bounds the number of live temporaries. Outputs are stored right after
/// their value is computed.
public struct Linearization {
    /// Where an operand comes from.
    /// 32-bit payloads keep a step small (56 bytes rather than 96): a 10⁶-operation function
    /// has a million of them.
    public enum Ref: Equatable, Sendable {
        case slot(Int32)
        case constant(Double)
        case input(port: Int32, index: Int32)
        /// An inlined value: the expression of `.define` step number `index`, spelled in place.
        case inlined(Int32)
    }

    /// Up to three operands, stored inline (no allocation per step).
    public struct Operands: Sendable {
        public let first: Ref
        public let second: Ref
        public let third: Ref
        private let storedCount: UInt8
        public var count: Int { Int(storedCount) }

        init(count: Int, first: Ref, second: Ref, third: Ref) {
            (self.first, self.second, self.third, storedCount) = (first, second, third, UInt8(count))
        }

        public subscript(k: Int) -> Ref { k == 0 ? first : (k == 1 ? second : third) }
    }

    /// One step of the schedule.
    public enum Step: Sendable {
        /// `slot = op(operands)`; `literal` is powi's exponent.
        case compute(op: Op, slot: Int, operands: Operands, literal: Int32)
        /// `output[port][index] = value`.
        case store(port: Int, index: Int, value: Ref)
        /// An expression used exactly once, spelled inside its user (`.inlined(index)`).
        case define(op: Op, index: Int, operands: Operands, literal: Int32)
    }

    /// How values are placed.
    public struct Shape: Sendable {
        /// Nest values used exactly once into their user's expression (for tcc, which keeps no
        /// value in a register across statements), at most `maxDepth` levels deep.
        public var inlineSingleUse: Bool
        public var maxDepth: Int
        /// Schedule `cos(x)` right after `sin(x)` (or the reverse) and never nest either, so the
        /// emitter can compute both with one `sincos` call: tcc makes no such merge itself, and
        /// a libm call costs about as much as a dozen tcc arithmetic statements.
        public var pairsSineAndCosine: Bool

        public static let statements = Shape(inlineSingleUse: false, maxDepth: 0)
        public static let nested = Shape(inlineSingleUse: true, maxDepth: 24, pairsSineAndCosine: true)

        public init(inlineSingleUse: Bool, maxDepth: Int, pairsSineAndCosine: Bool = false) {
            self.inlineSingleUse = inlineSingleUse
            self.maxDepth = maxDepth
            self.pairsSineAndCosine = pairsSineAndCosine
        }
    }

    public let name: String
    public let inputNames: [String]
    public let inputSizes: [Int]
    public let inputShapes: [(rows: Int, cols: Int)]
    /// Which entries of each input are read (dense unless the function has sparse inputs).
    public let inputPatterns: [Pattern]
    public let outputNames: [String]
    public let outputSizes: [Int]
    public let outputShapes: [(rows: Int, cols: Int)]
    /// Which entries each output stores (CasADi's `sparsity_out`).
    public let outputPatterns: [Pattern]
    public private(set) var steps: [Step] = []
    /// Number of slots (the most temporaries ever live at once, at most).
    public private(set) var slotCount = 0
    /// Number of operations: the op count the benchmarks compare.
    public private(set) var operationCount = 0

    /// Flattens `function`.
    /// - Complexity: O(n log n) in the nodes the outputs depend on, iterative.
    public init(_ function: Function, shape: Shape = .statements) {
        name = function.name
        inputNames = function.inputs.map(\.name)
        inputSizes = function.inputs.map(\.count)
        inputShapes = function.inputs.map { ($0.rows, $0.cols) }
        inputPatterns = function.inputs.map(\.pattern)
        outputNames = function.outputs.map(\.name)
        outputSizes = function.outputs.map(\.count)
        outputShapes = function.outputs.map { ($0.rows, $0.cols) }
        outputPatterns = function.outputs.map(\.pattern)
        let graph = function.context.graph
        let roots = function.outputs.flatMap(\.nodes)
        let count = (roots.max()?.index ?? -1) + 1
        // partner[node]: for sin(x) the cos(x) node and the reverse, when both are needed.
        let needed = graph.reachable(from: roots)
        let partner = shape.pairsSineAndCosine ? Linearization.sineCosinePartners(graph, needed: needed, count: count) : []
        let order = Linearization.depthFirstOrder(graph, roots: roots, count: count, needed: needed, partner: partner)
        // position[node]: the node's place in `order` (statement number), −1 if not scheduled.
        // Every later pass works on statements: arrays indexed by statement number and operands
        // named by statement are a fraction of the graph's size, and the operands of a statement
        // sit close to it in the order, where node ids of a derivative graph are far apart.
        var position = [Int32](repeating: -1, count: count)
        for (k, node) in order.enumerated() { position[Int(node)] = Int32(k) }
        let n = order.count
        let ops = Buffer<Op>(uninitialized: n)
        // Operand k of statement s: its statement (−1 for a symbol or constant) and its node.
        let operandAt = Buffer<Int32>(uninitialized: 3 * n), operandNode = Buffer<Int32>(uninitialized: 3 * n)
        defer { ops.free(); operandAt.free(); operandNode.free() }
        for s in 0..<n {
            let id = NodeID(Int(order[s]))
            let op = graph.op(id)
            ops[s] = op
            for k in 0..<3 {
                let operand = k < op.operandCount ? graph.operand(k, of: id) : NodeID(-1)
                operandNode[3 * s + k] = operand.raw
                operandAt[3 * s + k] = operand.raw >= 0 ? position[operand.index] : -1
            }
        }

        var inputPort = [Int32](repeating: -1, count: count)
        var inputIndex = [Int32](repeating: -1, count: count)
        for (port, input) in function.inputs.enumerated() {
            for (k, node) in input.nodes.enumerated() where node.index < count {
                inputPort[node.index] = Int32(port)
                inputIndex[node.index] = Int32(k)
            }
        }
        // Output entries sorted by node (then port, index); firstStore[s] finds a statement's run.
        var stores: [(node: Int32, port: Int32, index: Int32)] = []
        for (port, output) in function.outputs.enumerated() {
            for (k, node) in output.nodes.enumerated() { stores.append((node.raw, Int32(port), Int32(k))) }
        }
        // Sorted through integer keys (node, then position in the list above, which is port then
        // index order): comparing tuples in a closure cost several times more.
        var keys = stores.enumerated().map { UInt64(UInt32(bitPattern: $0.element.node)) << 32 | UInt64($0.offset) }
        keys.sort()
        stores = keys.map { stores[Int($0 & 0xFFFF_FFFF)] }
        let firstStore = Buffer<Int32>(n, -1)
        defer { firstStore.free() }
        for (k, store) in stores.enumerated().reversed() where position[Int(store.node)] >= 0 {
            firstStore[Int(position[Int(store.node)])] = Int32(k)
        }
        // Pass 1: uses of each value (ops that spell an operand twice count it twice, so a value
        // under them is never inlined and duplicated), and its single user if it has one.
        let uses = Buffer<UInt8>(n, 0), user = Buffer<Int32>(n, -1)
        defer { uses.free(); user.free() }
        for s in 0..<n {
            let weight: UInt8 = Linearization.mentionsOperandTwice(ops[s]) ? 2 : 1
            for k in 0..<ops[s].operandCount {
                let operand = Int(operandAt[3 * s + k])
                guard operand >= 0 else { continue }
                uses[operand] = min(uses[operand] &+ weight, 250)
                user[operand] = Int32(s)
            }
        }
        for store in stores where position[Int(store.node)] >= 0 { uses[Int(position[Int(store.node)])] = 250 }  // outputs live in slots
        // Pass 2: which operations are nested into their user, at most maxDepth deep.
        let inlined = Buffer<Bool>(n, false)
        defer { inlined.free() }
        if shape.inlineSingleUse {
            let depth = Buffer<UInt8>(n, 0)
            defer { depth.free() }
            for s in 0..<n {
                var nesting: UInt8 = 1
                for k in 0..<ops[s].operandCount {
                    let operand = Int(operandAt[3 * s + k])
                    if operand >= 0 { nesting = max(nesting, 1 + depth[operand]) }
                }
                if uses[s] == 1 && Int(nesting) <= shape.maxDepth && (partner.isEmpty || partner[Int(order[s])] < 0) {
                    inlined[s] = true
                    depth[s] = nesting
                }
            }
        }
        // Pass 3: the statement where each value is spelled (an inlined value inside its user's
        // statement), and from that the statement after which each slot value is dead.
        let spelledAt = Buffer<Int32>(n, -1), lastUse = Buffer<Int32>(n, -1)
        defer { spelledAt.free(); lastUse.free() }
        for s in stride(from: n - 1, through: 0, by: -1) {
            spelledAt[s] = inlined[s] ? spelledAt[Int(user[s])] : Int32(s)
        }
        for s in 0..<n {
            for k in 0..<ops[s].operandCount {
                let operand = Int(operandAt[3 * s + k])
                if operand >= 0 { lastUse[operand] = max(lastUse[operand], spelledAt[s]) }
            }
        }
        // Pass 4: schedule.
        let slotOf = Buffer<Int32>(n, -1), defineOf = Buffer<Int32>(n, -1)
        defer { slotOf.free(); defineOf.free() }
        var defines = 0
        var free = FreeSlots()
        defer { free.free() }
        func ref(_ node: Int32, at statement: Int32) -> Ref {
            if statement >= 0 {
                let s = Int(statement)
                return inlined[s] ? .inlined(defineOf[s]) : .slot(slotOf[s])
            }
            let id = NodeID(Int(node))
            if graph.op(id) == .symbol { return .input(port: inputPort[id.index], index: inputIndex[id.index]) }
            return .constant(graph.constantValue(id)!)
        }
        steps.reserveCapacity(n + stores.count)
        var pending: [Int32] = []
        for s in 0..<n {
            let op = ops[s]
            let count = op.operandCount
            let operands = Operands(count: count, first: ref(operandNode[3 * s], at: operandAt[3 * s]),
                                    second: count > 1 ? ref(operandNode[3 * s + 1], at: operandAt[3 * s + 1]) : .slot(0),
                                    third: count > 2 ? ref(operandNode[3 * s + 2], at: operandAt[3 * s + 2]) : .slot(0))
            let literal = op == .powi ? graph.powiExponent(NodeID(Int(order[s]))) : 0
            operationCount += 1
            if inlined[s] {
                defineOf[s] = Int32(defines)
                steps.append(.define(op: op, index: defines, operands: operands, literal: literal))
                defines += 1
                continue
            }
            // Values read for the last time in this statement free their slots first, so the
            // result may reuse one. Inlined operands' operands are read here too.
            pending.removeAll(keepingCapacity: true)
            for k in 0..<count where operandAt[3 * s + k] >= 0 { pending.append(operandAt[3 * s + k]) }
            while let next = pending.popLast() {
                let operand = Int(next)
                if inlined[operand] {
                    for k in 0..<ops[operand].operandCount where operandAt[3 * operand + k] >= 0 {
                        pending.append(operandAt[3 * operand + k])
                    }
                } else if slotOf[operand] >= 0 && lastUse[operand] == Int32(s) {
                    free.release(Int(slotOf[operand]))
                    slotOf[operand] = -1 - slotOf[operand]  // freed once only
                }
            }
            let slot = free.take(&slotCount)
            slotOf[s] = Int32(slot)
            steps.append(.compute(op: op, slot: slot, operands: operands, literal: literal))
            if firstStore[s] >= 0 {
                var k = Int(firstStore[s])
                let node = order[s]
                while k < stores.count && stores[k].node == node {
                    steps.append(.store(port: Int(stores[k].port), index: Int(stores[k].index), value: .slot(Int32(slot))))
                    k += 1
                }
            }
            if lastUse[s] < 0 { free.release(slot) }
        }
        // Outputs that are inputs or constants need no computation.
        for (port, output) in function.outputs.enumerated() {
            for (k, node) in output.nodes.enumerated() {
                let op = graph.op(node)
                if op == .symbol || op == .constant { steps.append(.store(port: port, index: k, value: ref(node.raw, at: -1))) }
            }
        }
    }
}

extension Linearization {
    /// The operations `roots` depend on, each after its operands, in depth-first post-order
    /// from the roots taken in order; of two operands, the one needing more registers
    /// (Sethi–Ullman number, estimated as if the graph were a tree) is visited first.
    ///
    /// Compared with creation order this computes each value close to its first use, so
    /// fewer values are live at once: cartpole_ms's constraint Jacobian needs a small fraction
    /// of the slots (the derivative sweeps otherwise keep every primal value alive). Symbols and
    /// constants are not scheduled. Iterative: deep chains need no call stack.
    /// `needed`: the nodes the roots depend on. With `partner` non-empty, a node's partner is
    /// scheduled right after it.
    static func depthFirstOrder(_ graph: Graph, roots: [NodeID], count: Int, needed: [Bool], partner: [Int32] = []) -> [Int32] {
        // Sethi–Ullman register need (tree estimate on the DAG): the needier operand goes first.
        var need = [UInt16](repeating: 0, count: count)
        for index in 0..<count where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            if op == .symbol || op == .constant { continue }
            var high: UInt16 = 1, ties: UInt16 = 0
            for k in 0..<op.operandCount {
                let n = need[graph.operand(k, of: id).index]
                if n > high { high = n; ties = 0 } else if n == high { ties += 1 }
            }
            need[index] = min(high + (ties > 0 ? 1 : 0), 60000)
        }
        // 0: not seen, 1: operands pushed, 2: scheduled.
        var state = [UInt8](repeating: 0, count: count)
        var order: [Int32] = []
        var stack: [Int32] = []
        func isLeaf(_ op: Op) -> Bool { op == .symbol || op == .constant }
        // A partner's only operand is the node's, so it is ready too.
        func schedule(_ index: Int) {
            state[index] = 2
            order.append(Int32(index))
            if !partner.isEmpty, partner[index] >= 0, state[Int(partner[index])] != 2 {
                state[Int(partner[index])] = 2
                order.append(partner[index])
            }
        }
        // Library calls on inputs and constants come first: a call clobbers every floating-point
        // register, so values computed before it must be saved around it; with the calls first
        // only their results are (panda_fk: all 7 sin/cos pairs, before any arithmetic).
        for index in 0..<count where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            guard state[index] == 0, Linearization.callsLibrary(op),
                  (0..<op.operandCount).allSatisfy({ isLeaf(graph.op(graph.operand($0, of: id))) }) else { continue }
            schedule(index)
        }
        for root in roots where !isLeaf(graph.op(root)) && state[root.index] == 0 {
            stack.append(root.raw)
            while let top = stack.last {
                let index = Int(top)
                switch state[index] {
                case 0:
                    state[index] = 1
                    let id = NodeID(index)
                    let op = graph.op(id)
                    // Pushed last = visited first.
                    let n = op.operandCount
                    let swap = n == 2 && need[graph.operand(1, of: id).index] > need[graph.operand(0, of: id).index]
                    for k in stride(from: n - 1, through: 0, by: -1) {
                        let operand = graph.operand(swap ? 1 - k : k, of: id)
                        if state[operand.index] == 0 && !isLeaf(graph.op(operand)) { stack.append(operand.raw) }
                    }
                case 1:
                    schedule(index)
                    stack.removeLast()
                default:
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// For each needed `sin(x)` the needed `cos(x)` node and the reverse; −1 elsewhere.
    static func sineCosinePartners(_ graph: Graph, needed: [Bool], count: Int) -> [Int32] {
        var sineOf = [Int32](repeating: -1, count: count), cosineOf = [Int32](repeating: -1, count: count)
        for index in 0..<count where needed[index] {
            let id = NodeID(index)
            switch graph.op(id) {
            case .sin: sineOf[graph.operand(0, of: id).index] = Int32(index)
            case .cos: cosineOf[graph.operand(0, of: id).index] = Int32(index)
            default: break
            }
        }
        var partner = [Int32](repeating: -1, count: count)
        for operand in 0..<count where sineOf[operand] >= 0 && cosineOf[operand] >= 0 {
            partner[Int(sineOf[operand])] = cosineOf[operand]
            partner[Int(cosineOf[operand])] = sineOf[operand]
        }
        return partner
    }

    /// Ops that compile to a libm call with gcc/clang (sqrt, fabs, fmin, … become instructions).
    static func callsLibrary(_ op: Op) -> Bool {
        guard FunctionEmitter.mathFunction(op, tcc: false) != nil else { return false }
        switch op {
        case .sqrt, .abs, .copysign, .floor, .ceil, .fmin, .fmax: return false
        default: return true
        }
    }

    /// Ops whose C spelling names an operand more than once (`x * x`, conditionals).
    static func mentionsOperandTwice(_ op: Op) -> Bool {
        switch op {
        case .sq, .powi, .abs, .sign, .fmin, .fmax: return true
        case .constant, .symbol, .add, .sub, .mul, .div, .neg, .pow, .sqrt, .exp, .log, .sin, .cos, .tan,
             .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .copysign, .floor,
             .ceil, .fmod, .hypot, .erf, .lt, .le, .eq, .ne, .and, .or, .not, .ifElse:
            return false
        }
    }
}

/// Free slot numbers, lowest first: a binary min-heap in raw memory, specialized (a generic heap
/// with a comparison closure cost thousands of instructions per operation here, and an array's
/// uniqueness checks a tenth of the deep chain's linearization). Call `free()` when done.
private struct FreeSlots {
    private var heap = Buffer<Int32>(uninitialized: 64)
    private var capacity = 64
    private var count = 0

    mutating func release(_ slot: Int) {
        if count == capacity {
            heap = heap.resized(to: 2 * capacity, keeping: count)
            capacity *= 2
        }
        var k = count
        heap[k] = Int32(slot)
        count += 1
        while k > 0 {
            let parent = (k - 1) / 2
            let (up, down) = (heap[parent], heap[k])
            guard up > down else { break }
            (heap[parent], heap[k]) = (down, up)
            k = parent
        }
    }

    mutating func take(_ slotCount: inout Int) -> Int {
        guard count > 0 else {
            slotCount += 1
            return slotCount - 1
        }
        let lowest = heap[0]
        count -= 1
        if count > 0 {
            heap[0] = heap[count]
            var k = 0
            while true {
                let (left, right) = (2 * k + 1, 2 * k + 2)
                var smallest = k
                if left < count && heap[left] < heap[smallest] { smallest = left }
                if right < count && heap[right] < heap[smallest] { smallest = right }
                if smallest == k { break }
                (heap[k], heap[smallest]) = (heap[smallest], heap[k])
                k = smallest
            }
        }
        return Int(lowest)
    }

    func free() { heap.free() }
}

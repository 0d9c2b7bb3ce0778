import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

/// A hash of each node's structure, independent of node ids: op, constant bits, input port and
/// entry, exponent, and the operands' hashes (sorted for commutative ops, whose stored operand
/// order follows ids). One ascending pass, no recursion.
private func structuralHashes(_ function: Function) -> [UInt64] {
    let graph = function.context.graph
    var inputOf: [Int32: UInt64] = [:]
    for (p, port) in function.inputs.enumerated() { for (k, node) in port.nodes.enumerated() { inputOf[node.raw] = UInt64(p << 32 | k) } }
    func mix(_ h: UInt64, _ v: UInt64) -> UInt64 { (h ^ v) &* 0x100_0000_01b3 ^ (h >> 29) }
    var hashes = [UInt64](repeating: 0, count: graph.count)
    for index in 0..<graph.count {
        let id = NodeID(index), op = graph.op(id)
        var h = mix(0xcbf2_9ce4_8422_2325, UInt64(op.rawValue))
        switch op {
        case .constant: h = mix(h, graph.constantValue(id)!.bitPattern)
        case .symbol: h = mix(h, inputOf[id.raw] ?? 0xdead)
        default:
            var operands = (0..<op.operandCount).map { hashes[graph.operand($0, of: id).index] }
            if op.isCommutative { operands.sort() }
            for operand in operands { h = mix(h, operand) }
            if op == .powi { h = mix(h, UInt64(bitPattern: Int64(graph.powiExponent(id)))) }
        }
        hashes[index] = h
    }
    return hashes
}

/// Whether two functions are the same graph, node for node: walked from the outputs in pairs
/// (explicit stack), every pair has the same op, constant bits, exponent and operands (matched
/// by structure where an op is commutative), inputs correspond by port and entry, and the
/// pairing is one-to-one.
func sameGraph(_ a: Function, _ b: Function) -> String? {
    guard a.inputs.map(\.count) == b.inputs.map(\.count), a.outputs.count == b.outputs.count else { return "different ports" }
    let (ga, gb) = (a.context.graph, b.context.graph)
    let (ha, hb) = (structuralHashes(a), structuralHashes(b))
    var forward: [Int32: Int32] = [:], backward: [Int32: Int32] = [:]
    var stack: [(NodeID, NodeID)] = []
    for (pa, pb) in zip(a.outputs, b.outputs) {
        guard pa.pattern == pb.pattern else { return "output \(pa.name): different sparsity" }
        stack += zip(pa.nodes, pb.nodes).map { ($0, $1) }
    }
    while let (x, y) = stack.popLast() {
        if let seen = forward[x.raw] {
            if seen != y.raw { return "\(ga.line(x)) pairs with \(gb.line(NodeID(seen))) and \(gb.line(y))" }
            continue
        }
        if backward[y.raw] != nil { return "\(gb.line(y)) pairs with two nodes" }
        forward[x.raw] = y.raw
        backward[y.raw] = x.raw
        guard ha[x.index] == hb[y.index], ga.op(x) == gb.op(y) else { return "\(ga.line(x)) against \(gb.line(y))" }
        let op = ga.op(x)
        var operandsB = (0..<op.operandCount).map { gb.operand($0, of: y) }
        if op.isCommutative && hb[operandsB[0].index] != ha[ga.operand(0, of: x).index] { operandsB.reverse() }
        for k in 0..<op.operandCount { stack.append((ga.operand(k, of: x), operandsB[k])) }
    }
    return nil
}

private func roundTrip(_ functions: [Function]) throws {
    let text = try ModelPrinter.text(of: functions)
    let model = try Model(text: text, file: "printed.dg")
    #expect(model.functions.map(\.name) == functions.map(\.name))
    for (original, read) in zip(functions, model.functions) {
        if let difference = sameGraph(original, read) { Issue.record("\(original.name): \(difference)") }
    }
}

@Test(arguments: ["panda_fk", "cartpole_step", "cartpole_ms", "mlp_hessian", "rosenbrock_ext", "nbody_energy", "deep_chain"])
func exampleModelsRoundTrip(_ file: String) throws {
    let model = try Model(contentsOf: "\(modelsDirectory)/\(file).dg")
    try roundTrip(model.functions)
}

@Test func randomGraphsOverEveryOpRoundTrip() throws {
    for seed in UInt64(0)..<20 {
        var rng = SeededRandom(seed: seed &+ 555)
        var builder = RandomExpressions(seed: seed &+ 555, point: RandomExpressions.randomPoint(3, using: &rng, specials: true))
        let x = builder.inputs
        // Every op on the inputs themselves, then random compositions.
        var outputs = builder.everyOp(binary: (1, 2), exponent: -3)
        for _ in 0..<100 { outputs.append(builder.step().expr) }
        let y = try Matrix(column: outputs)
        let sum = outputs.suffix(20).reduce(builder.context.constant(0)) { $0 + $1 }
        let f = try Function("random", inputs: [("x", x)], outputs: [("y", y)])
        let derivatives = try Function("derivatives", inputs: [("x", x)], outputs: [
            ("J", try sparseJacobian(of: y, wrt: x)), ("H", try sparseHessian(of: sum, wrt: x)),
        ])
        try roundTrip([f, derivatives])
    }
}

/// A chain of a million nodes is written and read back without recursion.
@Test func aMillionNodeChainRoundTrips() throws {
    let chain = try ReferenceProblems.deepChain(ExprContext(), steps: 250_000)
    #expect(chain.nodeCount >= 1_000_000)
    try roundTrip([chain])
}

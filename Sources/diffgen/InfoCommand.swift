import ArgumentParser
import DiffGen
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sizes, operation counts, nonzeros, colorings and work memory of every function."
    )

    @OptionGroup var model: ModelOptions

    func run() throws {
        let built = try model.load()
        if !built.parameters.isEmpty {
            print("parameters: " + built.parameters.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
        }
        let code = built.functions.isEmpty ? nil : try CGenerator.generate(built.functions, baseName: "info")
        for (k, function) in built.functions.enumerated() {
            let ports = { (ports: [Function.Port]) in ports.map { "\($0.name)[\($0.rows)×\($0.cols)]" }.joined(separator: ", ") }
            print("\(function.name): (\(ports(function.inputs))) -> (\(ports(function.outputs)))")
            print("  operations: \(Self.treeSize(function)) as written out, \(function.operationCount) after sharing common subexpressions")
            print("  work memory: \(code!.workSizes[k]) doubles")
            for port in function.outputs {
                let pattern = port.pattern
                var line = "  \(port.name): \(pattern.nonzeroCount) of \(port.rows * port.cols) entries nonzero"
                if let derivative = built.derivatives.first(where: { $0.output == port.name }), pattern.nonzeroCount > 0 {
                    switch derivative.kind {
                    case .jacobian where derivative.builtin.hasSuffix("jacobian"):
                        let (columns, rows) = (pattern.columnColoring().count, pattern.rowColoring().count)
                        line += "; \(columns) column colors (forward sweeps), \(rows) row colors (reverse sweeps): \(min(columns, rows)) sweeps"
                    case .hessian where pattern.rows == pattern.cols:
                        line += "; \(pattern.starColoring().count) star colors (forward-over-reverse sweeps)"
                    default: break
                    }
                }
                print(line)
            }
        }
        for loop in built.loops {
            let code = try loop.generate(baseName: "info", options: CodegenOptions())
            let ports = loop.inputPorts.map { "\($0.name)[\($0.size)]" } + ["->"]
                + loop.outputPorts.map { "\($0.name)[\($0.pattern.rows)×\($0.pattern.cols), \($0.pattern.nonzeroCount) nonzeros]" }
            print("loop \(loop.name): \(ports.joined(separator: " ")); \(loop.repetition)")
            print("  helper operations: \(code.operationCounts.map(String.init).joined(separator: " + ")); work memory: \(code.workSizes[0]) doubles; C: \(code.source!.utf8.count) bytes")
        }
    }

    /// Operations the outputs would take with every shared value recomputed (saturating), in one
    /// ascending pass.
    static func treeSize(_ function: Function) -> String {
        let graph = function.context.graph
        let needed = graph.reachable(from: function.outputs.flatMap(\.nodes))
        var size = [UInt64](repeating: 0, count: needed.count)
        for index in 0..<needed.count where needed[index] {
            let id = NodeID(index), op = graph.op(id)
            guard op != .constant && op != .symbol else { continue }
            var total: UInt64 = 1
            for k in 0..<op.operandCount {
                let (sum, overflow) = total.addingReportingOverflow(size[graph.operand(k, of: id).index])
                total = overflow ? .max : sum
            }
            size[index] = total
        }
        var total: UInt64 = 0
        for node in function.outputs.flatMap(\.nodes) {
            let (sum, overflow) = total.addingReportingOverflow(size[node.index])
            total = overflow ? .max : sum
        }
        return total == .max ? "more than 1.8e19" : "\(total)"
    }
}

import ArgumentParser
import DiffGen
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate every function of the model at a point, through the JIT.",
        discussion: """
        With --json, prints one object {"FUNCTION": {"OUTPUT": [[row], [row], ...]}}: each output \
        as dense rows, numbers printed so they read back exactly (NaN and infinities as the \
        strings "nan", "inf", "-inf").
        """
    )

    @OptionGroup var model: ModelOptions
    @Option(name: .customLong("at"), help: ArgumentHelp("An input's values, column-major.", valueName: "NAME=v1,v2,..."))
    var points: [String] = []
    @Flag(help: "Print one JSON object.") var json = false

    /// One function's outputs, dense and column-major.
    struct Result {
        let name: String
        let outputs: [(name: String, rows: Int, cols: Int, dense: [Double])]
    }

    func run() throws {
        let built = try model.load()
        let values = try InputValues(points)
        try values.checkNames(against: built)
        var results: [Result] = []
        for function in built.functions {
            let inputs = try values.inputs(of: function)
            Progress.step("compiling \(function.name)")
            let native = try function.compiled()
            Progress.done()
            let outputs = try native(inputs)
            results.append(Result(name: function.name, outputs: zip(function.outputs, outputs).map { port, values in
                (port.name, port.rows, port.cols, port.dense(values))
            }))
        }
        for loop in built.loops {
            let inputs = try values.inputs(named: loop.inputPorts, of: loop.name)
            Progress.step("compiling loop \(loop.name)")
            let native = try loop.compiled()
            Progress.done()
            let outputs = try native(inputs)
            results.append(Result(name: loop.name, outputs: zip(loop.outputPorts, outputs).map { port, values in
                var dense = [Double](repeating: 0, count: port.pattern.rows * port.pattern.cols)
                for (k, entry) in port.pattern.entries.enumerated() { dense[entry.col * port.pattern.rows + entry.row] = values[k] }
                return (port.name, port.pattern.rows, port.pattern.cols, dense)
            }))
        }
        print(json ? Self.json(results) : Self.text(results))
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "\"nan\"" }
        if value.isInfinite { return value > 0 ? "\"inf\"" : "\"-inf\"" }
        return "\(value)"
    }

    private static func rows(_ rows: Int, _ cols: Int, _ dense: [Double]) -> [[Double]] {
        (0..<rows).map { i in (0..<cols).map { j in dense[j * rows + i] } }
    }

    static func json(_ results: [Result]) -> String {
        let functions = results.map { result in
            let ports = result.outputs.map { port in
                "\"\(port.name)\": [" + rows(port.rows, port.cols, port.dense).map { "[" + $0.map(number).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
            }
            return "\"\(result.name)\": {" + ports.joined(separator: ", ") + "}"
        }
        return "{" + functions.joined(separator: ", ") + "}"
    }

    static func text(_ results: [Result]) -> String {
        var lines: [String] = []
        for result in results {
            lines.append("\(result.name):")
            for port in result.outputs {
                lines.append("  \(port.name) (\(port.rows)×\(port.cols)):")
                for row in rows(port.rows, port.cols, port.dense) { lines.append("    " + row.map { "\($0)" }.joined(separator: "  ")) }
            }
        }
        return lines.joined(separator: "\n")
    }
}

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

    func run() throws {
        let built = try model.load()
        let values = try InputValues(points)
        try values.checkNames(against: built)
        var results: [(Function, [[Double]])] = []
        for function in built.functions {
            let inputs = try values.inputs(of: function)
            Progress.step("compiling \(function.name)")
            let native = try function.compiled()
            Progress.done()
            results.append((function, try native(inputs)))
        }
        print(json ? Self.json(results) : Self.text(results))
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "\"nan\"" }
        if value.isInfinite { return value > 0 ? "\"inf\"" : "\"-inf\"" }
        return "\(value)"
    }

    private static func rows(_ port: Function.Port, _ nonzeros: [Double]) -> [[Double]] {
        let dense = port.dense(nonzeros)
        return (0..<port.rows).map { i in (0..<port.cols).map { j in dense[j * port.rows + i] } }
    }

    static func json(_ results: [(Function, [[Double]])]) -> String {
        let functions = results.map { function, outputs in
            let ports = zip(function.outputs, outputs).map { port, values in
                "\"\(port.name)\": [" + rows(port, values).map { "[" + $0.map(number).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
            }
            return "\"\(function.name)\": {" + ports.joined(separator: ", ") + "}"
        }
        return "{" + functions.joined(separator: ", ") + "}"
    }

    static func text(_ results: [(Function, [[Double]])]) -> String {
        var lines: [String] = []
        for (function, outputs) in results {
            lines.append("\(function.name):")
            for (port, values) in zip(function.outputs, outputs) {
                lines.append("  \(port.name) (\(port.rows)×\(port.cols)):")
                for row in rows(port, values) { lines.append("    " + row.map { "\($0)" }.joined(separator: "  ")) }
            }
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import DiffGen

/// The model file and parameter overrides every subcommand takes.
struct ModelOptions: ParsableArguments {
    @Argument(help: "The model file (.dg).")
    var model: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter's default.", valueName: "NAME=VALUE"))
    var settings: [String] = []

    /// The model read and built, or a `CommandFailure` carrying the located diagnostic.
    func load() throws -> Model {
        var overrides: [String: Double] = [:]
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CommandFailure.input("--set needs NAME=VALUE, got '\(setting)'")
            }
            guard let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw CommandFailure.input("--set \(parts[0]): '\(parts[1])' is not a number")
            }
            overrides[parts[0]] = value
        }
        Progress.step("reading \(model)")
        defer { Progress.done() }
        do {
            return try Model(contentsOf: model, overrides: overrides)
        } catch let diagnostic as Diagnostic {
            throw CommandFailure.input(diagnostic.description)
        } catch let error as ModelError {
            throw CommandFailure.input(error.description)
        }
    }
}

/// Values for inputs, from `--at NAME=v1,v2,...`.
struct InputValues {
    private(set) var values: [String: [Double]] = [:]

    init(_ arguments: [String]) throws {
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw CommandFailure.input("--at needs NAME=v1,v2,..., got '\(argument)'") }
            guard values[parts[0]] == nil else { throw CommandFailure.input("--at \(parts[0]) is given twice") }
            var numbers: [Double] = []
            for item in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingCharacters(in: .whitespaces)
                guard let number = Double(text) else { throw CommandFailure.input("--at \(parts[0]): '\(text)' is not a number") }
                numbers.append(number)
            }
            values[parts[0]] = numbers
        }
    }

    /// The inputs of `function`, in order; every name must be given with the right length.
    func inputs(of function: Function) throws -> [[Double]] {
        try function.inputs.map { port in
            guard let given = values[port.name] else {
                throw CommandFailure.input("function '\(function.name)' needs input '\(port.name)' (\(port.count) values): add --at \(port.name)=…")
            }
            guard given.count == port.count else {
                throw CommandFailure.input("input '\(port.name)' needs \(port.count) values (\(port.rows)×\(port.cols)), got \(given.count)")
            }
            return given
        }
    }

    /// The inputs `ports` of loop `loop`, in order; every name must be given with the right length.
    func inputs(named ports: [(name: String, size: Int)], of loop: String) throws -> [[Double]] {
        try ports.map { port in
            guard let given = values[port.name] else {
                throw CommandFailure.input("loop '\(loop)' needs input '\(port.name)' (\(port.size) values): add --at \(port.name)=…")
            }
            guard given.count == port.size else { throw CommandFailure.input("input '\(port.name)' needs \(port.size) values, got \(given.count)") }
            return given
        }
    }

    /// Every name given must be an input of some function or loop of `model`.
    func checkNames(against model: Model) throws {
        let known = Set(model.functions.flatMap { $0.inputs.map(\.name) } + model.loops.flatMap { $0.inputPorts.map(\.name) })
        for name in values.keys.sorted() where !known.contains(name) {
            throw CommandFailure.input("the model has no input '\(name)' (its inputs: \(known.sorted().joined(separator: ", ")))")
        }
    }
}

import DiffGenCodegen
import DiffGenCore

/// C that can be generated and compiled: a map's or a fold's product, or a calling function.
public protocol LoopedFunction {
    /// The C function's name.
    var name: String { get }
    /// Its inputs (column vectors) and outputs with their patterns, in order.
    var inputPorts: [(name: String, size: Int)] { get }
    var outputPorts: [(name: String, pattern: Pattern)] { get }
    /// Instances of a map or steps of a fold.
    var count: Int { get }
    /// C behind CasADi's interface, the same size whatever the instance or step count.
    func generate(baseName: String, options: CodegenOptions) throws -> GeneratedCode
    /// How the repetition is kept, in a few words ("one body, 20 times").
    var repetition: String { get }
}

extension LoopedFunction {
    public var repetition: String { "one body, \(count) times" }

    /// CasADi's view of the ports: dense column inputs, the outputs' patterns.
    var portLayout: PortLayout {
        PortLayout(inputs: inputPorts.map { ($0.name, Pattern.dense(rows: $0.size, cols: 1)) }, outputs: outputPorts)
    }
}

extension MapProduct: LoopedFunction {
    public var inputPorts: [(name: String, size: Int)] { map.inputs }
    public var outputPorts: [(name: String, pattern: Pattern)] { outputs }
    public var count: Int { map.count }
}

extension FoldedFunction: LoopedFunction {
    public var inputPorts: [(name: String, size: Int)] { inputs }
    public var outputPorts: [(name: String, pattern: Pattern)] {
        [(step.outputs[0].name, Pattern.dense(rows: stateSize, cols: everyState ? count : 1))]
    }
}

import DiffGenCore

/// The names, sizes and patterns of a function's ports: all CasADi's interface needs to know.
package struct PortLayout {
    package var inputNames: [String]
    package var inputPatterns: [Pattern]
    package var outputNames: [String]
    package var outputPatterns: [Pattern]

    package var inputSizes: [Int] { inputPatterns.map(\.nonzeroCount) }
    package var outputSizes: [Int] { outputPatterns.map(\.nonzeroCount) }

    init(_ linear: Linearization) {
        (inputNames, inputPatterns) = (linear.inputNames, linear.inputPatterns)
        (outputNames, outputPatterns) = (linear.outputNames, linear.outputPatterns)
    }

    package init(inputs: [(name: String, pattern: Pattern)], outputs: [(name: String, pattern: Pattern)]) {
        (inputNames, inputPatterns) = (inputs.map(\.name), inputs.map(\.pattern))
        (outputNames, outputPatterns) = (outputs.map(\.name), outputs.map(\.pattern))
    }
}

/// CasADi's external-function interface around an evaluator `NAME_eval(x0…, r0…, work)`.
enum CasADiInterface {
    /// The interface's definitions. A NULL input reads as zeros; a NULL output is written into
    /// the work array from `sinkStart` on and dropped.
    /// With `compactDense`, dense ports use CasADi's compact form `[nrow, ncol, 1]`, so a long
    /// dense input costs three numbers instead of one per entry.
    static func definitions(name: String, ports: PortLayout, sinkStart: Int, work: Int, export: String,
                            options: CodegenOptions, compactDense: Bool = false) throws -> String {
        func array(_ pattern: Pattern) -> [Int] {
            compactDense && pattern.nonzeroCount == pattern.rows * pattern.cols && pattern.rows > 0 && pattern.cols > 0 ? [pattern.rows, pattern.cols, 1] : pattern.casadiArray
        }
        let caseReturn = try Template.named("c/case_return.c")
        let sparsity = try Template.named("c/sparsity.c")
        var arrays = ""
        var (nameIn, nameOut, sparsityIn, sparsityOut) = ("", "", "", "")
        for (k, portName) in ports.inputNames.enumerated() {
            nameIn += try caseReturn.render(["index": "\(k)", "value": CIdentifier.quoted(portName)])
            let symbol = "\(name)_s_in\(k)"
            arrays += try sparsity.render(patternArray(symbol, array(ports.inputPatterns[k]), options: options))
            sparsityIn += try caseReturn.render(["index": "\(k)", "value": symbol])
        }
        for (k, portName) in ports.outputNames.enumerated() {
            nameOut += try caseReturn.render(["index": "\(k)", "value": CIdentifier.quoted(portName)])
            let symbol = "\(name)_s_out\(k)"
            arrays += try sparsity.render(patternArray(symbol, array(ports.outputPatterns[k]), options: options))
            sparsityOut += try caseReturn.render(["index": "\(k)", "value": symbol])
        }
        var sink = sinkStart
        let arguments = ports.inputSizes.indices.map { "arg[\($0)] ? arg[\($0)] : \(name)_zeros" }
            + ports.outputSizes.enumerated().map { (k, size) in
                defer { sink += size }
                return "res[\(k)] ? res[\(k)] : w + \(sink)"
            }
            + ["w"]
        return try Template.named("c/casadi_abi.c").render([
            "name": name, "export": export, "sparsity": arrays, "index": options.indexType.rawValue,
            "zeros": "\(max(1, ports.inputSizes.max() ?? 1))",
            "arguments": arguments.joined(separator: ", "),
            "n_in": "\(ports.inputSizes.count)", "n_out": "\(ports.outputSizes.count)",
            "name_in_cases": nameIn, "name_out_cases": nameOut,
            "sparsity_in_cases": sparsityIn, "sparsity_out_cases": sparsityOut,
            "work": "\(work)",
        ])
    }

    /// The header's prototypes.
    static func declarations(name: String, signature: String, work: Int, sparsity: String, options: CodegenOptions) throws -> String {
        try Template.named("c/casadi_abi.h").render([
            "name": name, "index": options.indexType.rawValue, "signature": signature, "work": "\(work)", "sparsity": sparsity,
        ])
    }

    /// A sparsity array in CasADi's layout `[nrow, ncol, colind…, row…]`.
    static func patternArray(_ symbol: String, _ values: [Int], options: CodegenOptions) -> [String: String] {
        var text = CWriter(capacity: 8 * values.count)
        for (k, value) in values.enumerated() {
            if k > 0 { text.write(", ") }
            text.write(value)
        }
        return ["symbol": symbol, "count": "\(values.count)", "values": text.text, "index": options.indexType.rawValue]
    }
}

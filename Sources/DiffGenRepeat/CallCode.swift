import DiffGenCodegen
import DiffGenCore

extension CallingFunction {
    /// C for this function: each callee and each stage once as helpers, and a driver that runs
    /// the stages and calls level by level, behind CasADi's interface.
    /// - Throws: `CodegenError` for unusable names, `CallError.nameClash` when a callee shares a
    ///   stage's name.
    public func generate(baseName: String, options: CodegenOptions = CodegenOptions()) throws -> GeneratedCode {
        let callees = self.callees
        let stageNames = Set(stages.map(\.name))
        if let clash = callees.first(where: { stageNames.contains($0.name) || $0.name == name }) { throw CallError.nameClash(clash.name) }
        let helpers = try CGenerator.helpers(stages + callees, baseName: baseName, options: options)
        let helperWork = helpers.workSizes.max() ?? 0
        // Work after the helpers' own: every call's results, then the current level's arguments.
        let resultCount = calls.reduce(0) { $0 + $1.results.count }
        var resultOffset: [Int] = [], offset = 0
        for call in calls { resultOffset.append(offset); offset += call.results.count }
        let argumentRoom = levels.map { $0.reduce(0) { $0 + calls[$1].arguments.count } }.max() ?? 0
        let inputPointers = inputs.indices.map { "x\($0)" }
        var body = "  double* results = work + \(helperWork);\n  double* arguments = results + \(resultCount);\n"
        for (l, members) in levels.enumerated() {
            var argumentOffset: [Int] = [], next = 0
            for c in members { argumentOffset.append(next); next += calls[c].arguments.count }
            let argumentPointers = argumentOffset.map { "arguments + \($0)" }
            body += "  \(options.prefix)\(stages[l].name)_eval(\((inputPointers + ["results"] + argumentPointers + ["work"]).joined(separator: ", ")));\n"
            for (m, c) in members.enumerated() {
                let callee = calls[c].callee
                var pointers: [String] = [], entry = argumentOffset[m]
                for port in callee.inputs { pointers.append("arguments + \(entry)"); entry += port.count }
                var result = resultOffset[c]
                for port in callee.outputs { pointers.append("results + \(result)"); result += port.count }
                body += "  \(options.prefix)\(callee.name)_eval(\((pointers + ["work"]).joined(separator: ", ")));\n"
            }
        }
        let outputPointers = outputs.indices.map { "r\($0)" }
        body += "  \(options.prefix)\(stages.last!.name)_eval(\((inputPointers + ["results"] + outputPointers + ["work"]).joined(separator: ", ")));\n"
        let signature = "\(calls.count) calls of \(callees.map(\.name).joined(separator: ", ")) in \(levels.count) levels"
        let driver = Driver(name: name, ports: portLayout, signature: signature, body: body, work: helperWork + resultCount + argumentRoom)
        return try CGenerator.generate(driver: driver, helpers: helpers, baseName: baseName, options: options)
    }
}

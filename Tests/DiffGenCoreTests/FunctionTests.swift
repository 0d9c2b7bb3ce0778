import DiffGenCore
import DiffGenTestSupport
import Testing

@Test func freeSymbolInAnOutputIsNamed() throws {
    let context = ExprContext()
    let x = context.symbol("x"), hidden = context.symbol("hidden")
    #expect(throws: FunctionError.freeSymbol("hidden", output: "y", function: "f")) {
        try Function("f", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(x * hidden))])
    }
    let error = #expect(throws: FunctionError.self) {
        try Function("f", inputs: [("x", Matrix(x))], outputs: [("y", Matrix(x * hidden))])
    }
    #expect(error?.description.contains("'hidden'") == true)
}

@Test func duplicateInputNamesAreRejected() throws {
    let context = ExprContext()
    let a = context.symbol("a"), b = context.symbol("b")
    #expect(throws: FunctionError.duplicateName("u", function: "f")) {
        try Function("f", inputs: [("u", Matrix(a)), ("u", Matrix(b))], outputs: [("y", Matrix(a + b))])
    }
    #expect(throws: FunctionError.duplicateName("u", function: "f")) {
        try Function("f", inputs: [("u", Matrix(a))], outputs: [("u", Matrix(a))])
    }
}

@Test func inputsMustBeDistinctSymbols() throws {
    let context = ExprContext()
    let a = context.symbol("a")
    #expect(throws: FunctionError.inputNotSymbol(input: "u", index: 0, function: "f")) {
        try Function("f", inputs: [("u", Matrix(a * 2))], outputs: [("y", Matrix(a))])
    }
    #expect(throws: FunctionError.repeatedSymbol("a", input: "v", function: "f")) {
        try Function("f", inputs: [("u", Matrix(a)), ("v", Matrix(a))], outputs: [("y", Matrix(a))])
    }
}

@Test func noOutputsAndEmptyNamesAreRejected() throws {
    let context = ExprContext()
    let a = context.symbol("a")
    #expect(throws: FunctionError.noOutputs(function: "f")) {
        try Function("f", inputs: [("a", Matrix(a))], outputs: [])
    }
    #expect(throws: FunctionError.emptyName) {
        try Function("", inputs: [("a", Matrix(a))], outputs: [("y", Matrix(a))])
    }
}

@Test func wrongInputSizesAreThrownNotCrashed() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let f = try Function("f", inputs: [("x", x)], outputs: [("s", Matrix(x.sum()))])
    let interpreter = Interpreter(f)
    #expect(throws: FunctionError.wrongInputSize(input: "x", expected: 3, got: 2, function: "f")) {
        try interpreter.evaluate([[1, 2]])
    }
    #expect(throws: FunctionError.wrongInputCount(expected: 1, got: 2, function: "f")) {
        try interpreter.evaluate([[1, 2, 3], [4]])
    }
}

@Test func shapesAreKept() throws {
    let context = ExprContext()
    let m = context.matrix("m", rows: 2, cols: 3)
    let f = try Function("f", inputs: [("m", m)], outputs: [("t", m.transposed()), ("s", Matrix(m.sum()))])
    #expect(f.inputs[0].rows == 2 && f.inputs[0].cols == 3)
    #expect(f.outputs[0].rows == 3 && f.outputs[0].cols == 2)
    // Column-major in, column-major out: the transpose of [[1,3,5],[2,4,6]] is [[1,2],[3,4],[5,6]].
    let out = try Interpreter(f).evaluate([[1, 2, 3, 4, 5, 6]])
    #expect(out[0] == [1, 3, 5, 2, 4, 6])
    #expect(out[1] == [21])
}

@Test func batchEvaluationMatchesPointByPoint() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 2), y = context.symbol("y")
    let f = try Function("f", inputs: [("x", x), ("y", Matrix(y))],
                         outputs: [("a", try Matrix(column: [sin(x[0]) * y, x[1] / y])), ("b", Matrix(y))])
    let interpreter = Interpreter(f)
    var rng = SeededRandom(seed: 11)
    for points in [1, 3, 64, 65, 200] {
        let xs = (0..<(2 * points)).map { _ in rng.uniform(-2...2) }
        let ys = (0..<points).map { _ in rng.uniform(0.5...2) }
        let batch = try interpreter.evaluateBatch([xs, ys], points: points)
        for p in 0..<points {
            let single = try interpreter.evaluate([Array(xs[(2 * p)..<(2 * p + 2)]), [ys[p]]])
            #expect(Array(batch[0][(2 * p)..<(2 * p + 2)]) == single[0], "point \(p) of \(points) (seed 11)")
            #expect(batch[1][p] == single[1][0])
        }
    }
}

@Test func nullInputsReadAsZeroAndNullOutputsAreSkipped() throws {
    let context = ExprContext()
    let a = context.symbol("a"), b = context.symbol("b")
    let f = try Function("f", inputs: [("a", Matrix(a)), ("b", Matrix(b))],
                         outputs: [("s", Matrix(a + b + 1)), ("p", Matrix(a * b))])
    let interpreter = Interpreter(f)
    let aValue = [2.0]
    var s = [0.0]
    aValue.withUnsafeBufferPointer { aBuffer in
        s.withUnsafeMutableBufferPointer { sBuffer in
            let inputs: [UnsafePointer<Double>?] = [aBuffer.baseAddress, nil]
            let outputs: [UnsafeMutablePointer<Double>?] = [sBuffer.baseAddress, nil]
            interpreter.evaluate(inputs: inputs, outputs: outputs)
        }
    }
    #expect(s == [3])
}

@Test func pointerEvaluationAllocatesNothing() throws {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let f = try Function("f", inputs: [("x", x)],
                         outputs: [("y", try Matrix(column: [sin(x[0]) * x[1], x.norm(), ifElse(x[2] > 0, x[2], -x[2])]))])
    let interpreter = Interpreter(f)
    var input = [0.3, -1.2, 2.0]
    var output = [Double](repeating: 0, count: 3)
    let allocations = try input.withUnsafeMutableBufferPointer { inBuffer in
        try output.withUnsafeMutableBufferPointer { outBuffer in
            var inputs: [UnsafePointer<Double>?] = [UnsafePointer(inBuffer.baseAddress)]
            var outputs: [UnsafeMutablePointer<Double>?] = [outBuffer.baseAddress]
            return try inputs.withUnsafeMutableBufferPointer { ins in
                try outputs.withUnsafeMutableBufferPointer { outs in
                    try heapAllocations {
                        for k in 0..<100_000 {
                            inBuffer[0] = Double(k) * 1e-5
                            interpreter.evaluate(inputs: UnsafePointer(ins.baseAddress!), outputs: UnsafePointer(outs.baseAddress!))
                        }
                    }
                }
            }
        }
    }
    #expect(allocations == 0, "\(allocations) heap allocations in 100 000 calls")
    #expect(output[1] == (input[0] * input[0] + input[1] * input[1] + input[2] * input[2]).squareRoot())
    // The counter itself works: an array allocation is seen.
    #expect(heapAllocations { _ = [Double](repeating: 1, count: 1000 + Int(output[0])) } >= 1)
}

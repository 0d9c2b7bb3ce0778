import DiffGenCore
import DiffGenTestSupport
import Testing

/// The coordinate-text parser never trusts its header and never crashes: every input either
/// reads or is a located `PatternTextError`.
@Test func headersDoNotDecideAllocations() throws {
    // Two billion nonzeros announced, none present: an error, not an abort.
    #expect(throws: PatternTextError(line: 1, column: 1, reason: "the header announces 2000000000 entries, the text holds 0")) {
        try Pattern(coordinateText: "3 3 2000000000")
    }
    // Two billion columns would need a 16 GB column array.
    let huge = #expect(throws: PatternTextError.self) { try Pattern(coordinateText: "1 2000000000 1\n0 0\n") }
    #expect(huge?.reason.contains("2000000000 columns is more than a 19-byte text can describe") == true, "\(String(describing: huge))")
    #expect(throws: PatternTextError(line: 1, column: 5, reason: "number too large")) { try Pattern(coordinateText: "3 3 99999999999999999999") }
    #expect(throws: PatternTextError(line: 1, column: 3, reason: "expected a non-negative integer")) { try Pattern(coordinateText: "3 -3 1\n0 0\n") }
    // A truncated file is caught by its count.
    #expect(throws: PatternTextError(line: 4, column: 1, reason: "the header announces 3 entries, the text holds 2")) {
        try Pattern(coordinateText: "3 3 3\n0 0\n1 1\n")
    }
    #expect(try Pattern(coordinateText: "3 3 3\n0 0\n1 1\n2 2\n").nonzeroCount == 3)
}

@Test func fuzzedPatternTextAlwaysReadsOrFailsWithALocation() throws {
    var rng = SeededRandom(seed: 2024)
    var valid = "% a 7x9 pattern\n7 9 20\n"
    var seen = Set<Int>()
    while seen.count < 20 {
        let (i, j) = (Int.random(in: 0..<7, using: &rng), Int.random(in: 0..<9, using: &rng))
        if seen.insert(i * 9 + j).inserted { valid += "\(i) \(j)\n" }
    }
    #expect(try Pattern(coordinateText: valid).nonzeroCount == 20)
    let alphabet = Array("0123456789 \t\n-%#x9999999999".utf8) + [0, 0xff, 0xc3]
    let inputs = fuzzInputs([Array(valid.utf8)], alphabet: alphabet, truncations: Array(valid.utf8).count, mutations: 2000,
                            noise: 500, maxNoise: 64, using: &rng)
    for input in inputs {
        let text = String(decoding: input, as: UTF8.self)
        do {
            let pattern = try Pattern(coordinateText: text)
            #expect(pattern.nonzeroCount <= input.count)
        } catch let error as PatternTextError {
            #expect(error.line >= 1 && error.column >= 1 && !error.reason.isEmpty)
        }
    }
}

import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

/// Every error a model can have gives the file, line and column, the line itself with a caret
/// under the offending text, and what was expected; compared here in full.
private func diagnostic(_ text: String, overrides: [String: Double] = [:]) -> String {
    do {
        _ = try Model(text: text, file: "m.dg", overrides: overrides)
        return "no error"
    } catch {
        return "\(error)"
    }
}

let diagnosticCases: [(String, String)] = [
    ("input x[2]\noutput y = sinn(x)\n",
     "m.dg:2:12: error: unknown function 'sinn'\n 2 | output y = sinn(x)\n   |            ^~~~"),
    ("input x[2]\noutput y = x + z\n",
     "m.dg:2:16: error: unknown name 'z'\n 2 | output y = x + z\n   |                ^"),
    ("input x[2]\ninput A[3, 3]\noutput y = A * x\n",
     "m.dg:3:14: error: shape mismatch in matrix product: 3×3 times 2×1: inner dimensions 3 and 2 differ\n 3 | output y = A * x\n   |              ^"),
    ("input x[2]\ninput v[3]\noutput y = x + v\n",
     "m.dg:3:14: error: shape mismatch in add: 2×1 and 3×1\n 3 | output y = x + v\n   |              ^"),
    ("input x\nlet a = b + x\nlet b = a * 2\noutput y = a\n",
     "m.dg:2:5: error: definitions form a cycle: a → b → a\n 2 | let a = b + x\n   |     ^"),
    ("input x\nlet a = x\nlet a = 2 * x\noutput y = a\n",
     "m.dg:3:5: error: 'a' is already defined at line 2, column 5\n 3 | let a = 2 * x\n   |     ^"),
    ("input x\nparam n = x + 1\noutput y = x\n",
     "m.dg:2:13: error: parameter 'n' must be a number known before the model is built (not an expression of inputs)\n 2 | param n = x + 1\n   |             ^"),
    ("input x[2]\noutput y = (x[0] + x[1]\n",
     "m.dg:3:1: error: expected ')' to close the '(' at line 2, column 12, found the end of the line\n 3 | \n   | ^"),
    ("input x[2]\ndef f(a) {\n  let b = a\n",
     "m.dg:4:1: error: expected '}' to close the '{' at line 2, column 10, found the end of the file\n 4 | \n   | ^"),
    ("input x[2]\nlet k = x[0] * 2\noutput J = jacobian(x, k)\n",
     "m.dg:3:24: error: 'jacobian' differentiates with respect to an input; this is not the name of an input\n 3 | output J = jacobian(x, k)\n   |                        ^"),
    ("input x[2]\noutput y = x[2]\n",
     "m.dg:2:14: error: index 2 is out of range for a 2×1 matrix\n 2 | output y = x[2]\n   |              ^"),
    ("input x[n]\noutput y = x\n",
     "m.dg:1:9: error: unknown name 'n'\n 1 | input x[n]\n   |         ^"),
    ("input x\noutput y = x $ 2\n",
     "m.dg:2:14: error: unexpected character '$'\n 2 | output y = x $ 2\n   |              ^"),
    ("input x\noutput y = sin(x, x)\n",
     "m.dg:2:12: error: 'sin' takes 1 argument, got 2\n 2 | output y = sin(x, x)\n   |            ^~~"),
    ("input x\ndef f(a) = g(a)\ndef g(a) = f(a)\noutput y = f(x)\n",
     "m.dg:2:5: error: definitions form a cycle: f → g → f\n 2 | def f(a) = g(a)\n   |     ^"),
    ("input x\noutput y = x\nfunction f(x, u) -> (y)\n",
     "m.dg:3:15: error: 'u' is not an input\n 3 | function f(x, u) -> (y)\n   |               ^"),
    ("input x\ninput u\noutput y = x * u\nfunction f(x) -> (y)\n",
     "m.dg:4:10: error: output 'y' of 'f' depends on input 'u', which 'f' does not take\n 4 | function f(x) -> (y)\n   |          ^"),
    ("input x\nlet sin = x\noutput y = sin\n",
     "m.dg:2:5: error: 'sin' is a built-in name and cannot be redefined\n 2 | let sin = x\n   |     ^~~"),
    ("input x\noutput y = x\nlet = 3\n",
     "m.dg:3:5: error: expected a definition name, found '='\n 3 | let = 3\n   |     ^"),
]

@Test(arguments: diagnosticCases.indices)
func modelErrorsAreLocatedAndComparedInFull(_ k: Int) {
    let (text, expected) = diagnosticCases[k]
    #expect(diagnostic(text) == expected)
}

@Test func overridesOfUnknownParametersAreNamed() {
    #expect(diagnostic("param n = 3\ninput x[n]\noutput y = x\n", overrides: ["m": 2]) == "the model has no parameter 'm' (it has: n)")
    #expect(diagnostic("param n = 3\ninput x[n]\noutput y = sum(x)\n", overrides: ["n": 5]) == "no error")
}

/// Random bytes, truncations and mutations of the example models: never a crash or a hang,
/// always a located error (or a model).
@Test func fuzzedModelsAlwaysReadOrFailWithALocation() throws {
    var rng = SeededRandom(seed: 77)
    // Small models, cheap to evaluate, that use every construct of the language.
    let corpus = """
    # every construct
    param n = 4
    param dt = 0.1
    input x[n]
    input u
    input A[2, 2]
    def f(a, b) {
        let s = sin(a[0]) * b
        return [a[1]; s; a[0] ^ 3]
    }
    def g(v) = v .* 2 - v'' + 1
    let y = f(x, u) + dt * [x[0]; x[1]; x[2]]
    output r = sum(sq(x[i]) for i in 0:n) + A[0, 1] * if_else(u > 0, u, -u)
    output s = [g(y)[k] * k for k in 0:3]
    output J = sparse_jacobian(s, x)
    output H = hessian(r, x)
    output M = A * [1, 2; 3, 4]' + eye(2)
    function fs(x, u, A) -> (r, s, M)
    function fd(x, u, A) -> (J, H)
    """
    let examples = [Array(corpus.utf8)] + (try ["cartpole_step", "panda_fk"].map {
        Array(try String(contentsOfFile: "\(modelsDirectory)/\($0).dg", encoding: .utf8).utf8)
    })
    #expect(throws: Never.self) { try Model(text: corpus, file: "corpus.dg") }
    let alphabet = Array("()[]{};:,=+-*/^'<>!.#\n xk0123456789".utf8) + [0, 0xff, 0xe2, 0x88]
    var inputs = fuzzInputs(examples, alphabet: alphabet, truncations: 60, mutations: 100, noise: 300, maxNoise: 200, using: &rng)
    // Deep nesting is refused, not recursed into.
    inputs.append(Array(("input x\noutput y = " + String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000) + "\n").utf8))
    inputs.append(Array(("input x\noutput y = " + String(repeating: "-", count: 100_000) + "x\n").utf8))
    for input in inputs {
        do {
            _ = try Model(text: String(decoding: input, as: UTF8.self), file: "fuzz.dg")
        } catch let error as Diagnostic {
            #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
            #expect(error.description.hasPrefix("fuzz.dg:\(error.line):\(error.column): error: "))
        } catch let error as ModelError {
            Issue.record("a text gave a non-located error: \(error)")
        }
    }
}

/// An expression as written, with where it was written.
struct Syntax: Sendable {
    indirect enum Kind: Sendable {
        case number(Double)
        case name(String)
        case call(String, [Syntax])
        /// `-x`, `!x`.
        case unary(String, Syntax)
        /// `+ - * / .* ^ < <= > >= == != && ||`.
        case binary(String, Syntax, Syntax)
        case index(Syntax, [Subscript])
        case transpose(Syntax)
        /// `[a, b; c, d]`: rows of blocks.
        case matrix([[Syntax]])
        /// `[body for variable in start:end]` (end excluded): the bodies stacked vertically.
        case comprehension(body: Syntax, variable: String, start: Syntax, end: Syntax)
    }

    enum Subscript: Sendable {
        case single(Syntax)
        /// `a:b`, `:b`, `a:`, `:` (end excluded).
        case range(Syntax?, Syntax?)
    }

    let kind: Kind
    let location: SourceLocation
}

/// A statement of a model file.
enum Statement: Sendable {
    struct Name: Sendable {
        let text: String
        let location: SourceLocation
    }

    /// `param n = 20`
    case param(Name, Syntax)
    /// `input x[4]`, `input A[3, 3]`, `input s`
    case input(Name, rows: Syntax?, cols: Syntax?)
    /// `let a = …`
    case define(Name, Syntax)
    /// `output y = …`
    case output(Name, Syntax)
    /// `def f(a, b) = …` or `def f(a, b) { let t = …; return … }`
    case function(Name, parameters: [Name], body: [(Name, Syntax)], result: Syntax)
    /// `function step(x, u) -> (phi, A)`
    case generate(Name, inputs: [Name], outputs: [Name])
    /// `loop f(x) = map_sum(term(x[k], x[k + 1]) for k in 0:n - 1)`, `loop H = hessian(f, x)`
    case loop(Name, inputs: [Name]?, Syntax)
}

/// Recursive descent over the tokens of a model file. Nesting is bounded (`maxDepth`), so no
/// input can exhaust the stack; every error is a `Diagnostic` at the offending token.
struct Parser {
    /// Deepest nesting of parentheses, brackets and operators accepted in one expression.
    static let maxDepth = 200

    private let source: SourceText
    private var lexer: Lexer
    private var current: Token
    private var previous: Token
    private var depth = 0

    init(_ source: SourceText) throws {
        self.source = source
        lexer = Lexer(source)
        current = try lexer.next()
        previous = current
    }

    static func parse(_ source: SourceText) throws -> [Statement] {
        var parser = try Parser(source)
        return try parser.statements()
    }

    /// Moves to the next token; returns the one moved past.
    @discardableResult
    private mutating func advance() throws -> Token {
        previous = current
        current = try lexer.next()
        return previous
    }

    private func error(_ message: String, at token: Token? = nil) -> Diagnostic {
        source.diagnostic(message, at: (token ?? current).location)
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let s) = current.kind { return s == symbol }
        return false
    }

    private mutating func accept(_ symbol: String) throws -> Bool {
        guard isSymbol(symbol) else { return false }
        try advance()
        return true
    }

    private mutating func expect(_ symbol: String, _ context: String) throws {
        guard try accept(symbol) else { throw error("expected '\(symbol)' \(context), found \(current.describe)") }
    }

    /// `symbol`, or an error pointing at the unclosed opening token.
    private mutating func close(_ symbol: String, opened opening: Token) throws {
        guard try accept(symbol) else {
            let where_ = "line \(opening.location.line), column \(opening.location.column)"
            throw error("expected '\(symbol)' to close the '\(opening.describe.dropFirst().dropLast())' at \(where_), found \(current.describe)")
        }
    }

    private mutating func name(_ what: String) throws -> Statement.Name {
        guard case .name(let text) = current.kind else {
            if case .keyword(let k) = current.kind { throw error("'\(k.rawValue)' is a keyword and cannot be \(what)") }
            throw error("expected \(what), found \(current.describe)")
        }
        let token = try advance()
        return Statement.Name(text: text, location: token.location)
    }

    private mutating func endOfStatement() throws {
        guard case .end = current.kind else { throw error("expected the end of the statement, found \(current.describe)") }
        try advance()
    }

    mutating func statements() throws -> [Statement] {
        var result: [Statement] = []
        while true {
            switch current.kind {
            case .endOfFile: return result
            case .end: try advance()
            case .keyword(let keyword):
                try advance()
                result.append(try statement(keyword))
                try endOfStatement()
            default:
                throw error("expected a statement (param, input, let, output, def or function), found \(current.describe)")
            }
        }
    }

    private mutating func statement(_ keyword: Keyword) throws -> Statement {
        switch keyword {
        case .param:
            let n = try name("a parameter name")
            try expect("=", "after the parameter name")
            return .param(n, try expression())
        case .input:
            let n = try name("an input name")
            guard isSymbol("[") else { return .input(n, rows: nil, cols: nil) }
            let opening = try advance()
            let rows = try expression()
            let cols = try accept(",") ? try expression() : nil
            try close("]", opened: opening)
            return .input(n, rows: rows, cols: cols)
        case .let, .output:
            let n = try name(keyword == .let ? "a definition name" : "an output name")
            try expect("=", "after '\(n.text)'")
            let value = try expression()
            return keyword == .let ? .define(n, value) : .output(n, value)
        case .def:
            let n = try name("a function name")
            let parameters = try nameList(opening: "(", closing: ")", what: "a parameter name")
            if try accept("=") { return .function(n, parameters: parameters, body: [], result: try expression()) }
            guard isSymbol("{") else { throw error("expected '=' or '{' after the parameters of '\(n.text)', found \(current.describe)") }
            let opening = try advance()
            var body: [(Statement.Name, Syntax)] = []
            while true {
                if case .end = current.kind { try advance(); continue }
                if case .keyword(.let) = current.kind {
                    try advance()
                    let local = try name("a definition name")
                    try expect("=", "after '\(local.text)'")
                    body.append((local, try expression()))
                    try endOfStatement()
                    continue
                }
                if case .keyword(.return) = current.kind {
                    try advance()
                    let result = try expression()
                    while case .end = current.kind { try advance() }
                    try close("}", opened: opening)
                    return .function(n, parameters: parameters, body: body, result: result)
                }
                if case .endOfFile = current.kind { try close("}", opened: opening) }
                throw error("expected 'let' or 'return' in the body of '\(n.text)', found \(current.describe)")
            }
        case .function:
            let n = try name("a function name")
            let inputs = try nameList(opening: "(", closing: ")", what: "an input name")
            try expect("->", "after the inputs of '\(n.text)'")
            let outputs = try nameList(opening: "(", closing: ")", what: "an output name")
            return .generate(n, inputs: inputs, outputs: outputs)
        case .loop:
            let n = try name("a loop name")
            let inputs = isSymbol("(") ? try nameList(opening: "(", closing: ")", what: "an input name") : nil
            try expect("=", "after '\(n.text)'")
            return .loop(n, inputs: inputs, try expression())
        case .return, .for, .in:
            throw error("'\(keyword.rawValue)' cannot start a statement", at: previous)
        }
    }

    private mutating func nameList(opening: String, closing: String, what: String) throws -> [Statement.Name] {
        guard isSymbol(opening) else { throw error("expected '\(opening)', found \(current.describe)") }
        let open = try advance()
        var names: [Statement.Name] = []
        if try accept(closing) { return names }
        repeat { names.append(try name(what)) } while try accept(",")
        try close(closing, opened: open)
        return names
    }

    // MARK: Expressions, lowest precedence first.

    mutating func expression() throws -> Syntax {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw error("expression nested more than \(Parser.maxDepth) levels deep") }
        return try binary(level: 0)
    }

    private static let levels: [[String]] = [["||"], ["&&"], ["<", "<=", ">", ">=", "==", "!="], ["+", "-"], ["*", "/", ".*"]]

    private mutating func binary(level: Int) throws -> Syntax {
        guard level < Parser.levels.count else { return try unary() }
        var left = try binary(level: level + 1)
        while case .symbol(let s) = current.kind, Parser.levels[level].contains(s) {
            let op = try advance()
            let right = try binary(level: level + 1)
            left = Syntax(kind: .binary(s, left, right), location: op.location)
        }
        return left
    }

    private mutating func unary() throws -> Syntax {
        if case .symbol(let s) = current.kind, s == "-" || s == "!" || s == "+" {
            let op = try advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Parser.maxDepth else { throw error("expression nested more than \(Parser.maxDepth) levels deep") }
            let operand = try unary()
            return s == "+" ? operand : Syntax(kind: .unary(s, operand), location: op.location)
        }
        return try power()
    }

    /// `a ^ b` binds tighter than unary minus on its left (`-x^2` is `-(x^2)`) and is right
    /// associative through its exponent.
    private mutating func power() throws -> Syntax {
        let base = try postfix()
        guard isSymbol("^") else { return base }
        let op = try advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw error("expression nested more than \(Parser.maxDepth) levels deep") }
        return Syntax(kind: .binary("^", base, try unary()), location: op.location)
    }

    private mutating func postfix() throws -> Syntax {
        var value = try primary()
        while true {
            if isSymbol("[") {
                let opening = try advance()
                var subscripts: [Syntax.Subscript] = [try subscriptPart()]
                if try accept(",") { subscripts.append(try subscriptPart()) }
                try close("]", opened: opening)
                value = Syntax(kind: .index(value, subscripts), location: opening.location)
            } else if isSymbol("'") {
                let op = try advance()
                value = Syntax(kind: .transpose(value), location: op.location)
            } else {
                return value
            }
        }
    }

    private mutating func subscriptPart() throws -> Syntax.Subscript {
        let start = isSymbol(":") || isSymbol(",") || isSymbol("]") ? nil : try expression()
        guard try accept(":") else {
            guard let start else { throw error("expected an index, found \(current.describe)") }
            return .single(start)
        }
        let end = isSymbol(",") || isSymbol("]") ? nil : try expression()
        return .range(start, end)
    }

    private mutating func primary() throws -> Syntax {
        let token = current
        switch token.kind {
        case .number(let value):
            try advance()
            return Syntax(kind: .number(value), location: token.location)
        case .name(let text):
            try advance()
            guard isSymbol("(") else { return Syntax(kind: .name(text), location: token.location) }
            let opening = try advance()
            var arguments: [Syntax] = []
            if try !accept(")") {
                repeat { arguments.append(try comprehensionOrExpression()) } while try accept(",")
                try close(")", opened: opening)
            }
            return Syntax(kind: .call(text, arguments), location: token.location)
        case .symbol("("):
            try advance()
            let inner = try expression()
            try close(")", opened: token)
            return inner
        case .symbol("["):
            try advance()
            return try matrixLiteral(opened: token)
        default:
            throw error("expected an expression, found \(token.describe)")
        }
    }

    /// An argument: an expression, or `body for i in a:b` (as in `sum(x[i]^2 for i in 0:n)`).
    private mutating func comprehensionOrExpression() throws -> Syntax {
        let body = try expression()
        guard case .keyword(.for) = current.kind else { return body }
        return try comprehension(body)
    }

    private mutating func comprehension(_ body: Syntax) throws -> Syntax {
        let forToken = try advance()
        let variable = try name("a loop variable")
        guard case .keyword(.in) = current.kind else { throw error("expected 'in' after the loop variable, found \(current.describe)") }
        try advance()
        let start = try expression()
        try expect(":", "between the start and the end of the range")
        let end = try expression()
        return Syntax(kind: .comprehension(body: body, variable: variable.text, start: start, end: end), location: forToken.location)
    }

    private mutating func matrixLiteral(opened opening: Token) throws -> Syntax {
        if try accept("]") { return Syntax(kind: .matrix([]), location: opening.location) }
        let first = try expression()
        if case .keyword(.for) = current.kind {
            let result = try comprehension(first)
            try close("]", opened: opening)
            return result
        }
        var rows: [[Syntax]] = [[first]]
        while true {
            if try accept(",") { rows[rows.count - 1].append(try expression()); continue }
            if try accept(";") { rows.append([try expression()]); continue }
            try close("]", opened: opening)
            return Syntax(kind: .matrix(rows), location: opening.location)
        }
    }
}

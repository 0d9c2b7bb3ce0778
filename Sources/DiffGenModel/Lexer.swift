/// The tokens of the model language.
enum TokenKind: Equatable, Sendable {
    case number(Double)
    case name(String)
    case keyword(Keyword)
    case symbol(String)
    /// The end of a statement (a line break outside brackets, or `;`).
    case end
    case endOfFile
}

enum Keyword: String, CaseIterable, Sendable {
    case param, input, `let`, output, def, function, loop, `return`, `for`, `in`
}

struct Token: Sendable {
    let kind: TokenKind
    let location: SourceLocation

    var describe: String {
        switch kind {
        case .number: return "a number"
        case .name(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .symbol(let s): return "'\(s)'"
        case .end: return "the end of the line"
        case .endOfFile: return "the end of the file"
        }
    }
}

/// Reads a model text one token at a time (so a huge file never exists as a token array).
/// Line breaks end statements except inside parentheses and brackets; `#` starts a comment to
/// the end of the line.
struct Lexer {
    private static let symbols = ["->", "<=", ">=", "==", "!=", "&&", "||", ".*",
                                  "(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "+", "-", "*", "/", "^", "'", "<", ">", "!"]

    private let source: SourceText
    private var k = 0, line = 1, lineStart = 0
    /// Open ( and [: line breaks inside them continue the statement.
    private var depth = 0
    private var finished = false

    init(_ source: SourceText) { self.source = source }

    private func location(_ start: Int, _ length: Int) -> SourceLocation {
        SourceLocation(line: line, column: start - lineStart + 1, offset: start, length: length)
    }

    /// The next token; after the text, one `.end` and then `.endOfFile` for ever.
    mutating func next() throws -> Token {
        let s = source.scalars
        while k < s.count {
            let c = s[k]
            if c == "\n" {
                let token = Token(kind: .end, location: location(k, 1))
                k += 1
                line += 1
                lineStart = k
                if depth == 0 { return token }
                continue
            }
            if c == " " || c == "\t" || c == "\r" { k += 1; continue }
            if c == "#" {
                while k < s.count && s[k] != "\n" { k += 1 }
                continue
            }
            let start = k
            if isDigit(c) || (c == "." && k + 1 < s.count && isDigit(s[k + 1])) {
                while k < s.count && isDigit(s[k]) { k += 1 }
                if k < s.count && s[k] == "." && !(k + 1 < s.count && s[k + 1] == "*") {
                    k += 1
                    while k < s.count && isDigit(s[k]) { k += 1 }
                }
                if k < s.count && (s[k] == "e" || s[k] == "E") {
                    var j = k + 1
                    if j < s.count && (s[j] == "+" || s[j] == "-") { j += 1 }
                    if j < s.count && isDigit(s[j]) {
                        k = j
                        while k < s.count && isDigit(s[k]) { k += 1 }
                    }
                }
                let text = Self.string(s[start..<k])
                guard let value = Double(text), value.isFinite else {
                    throw source.diagnostic("'\(text)' is not a finite number", at: location(start, k - start))
                }
                return Token(kind: .number(value), location: location(start, k - start))
            }
            if isLetter(c) {
                while k < s.count && (isLetter(s[k]) || isDigit(s[k])) { k += 1 }
                let word = Self.string(s[start..<k])
                let kind: TokenKind = Keyword(rawValue: word).map { .keyword($0) } ?? .name(word)
                return Token(kind: kind, location: location(start, k - start))
            }
            guard let symbol = Self.symbols.first(where: { Self.matches($0, s, at: k) }) else {
                throw source.diagnostic("unexpected character '\(c.escaped(asASCII: true))'", at: location(k, 1))
            }
            switch symbol {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            default: break
            }
            k += symbol.unicodeScalars.count
            // `;` ends a statement, except inside brackets, where it separates matrix rows.
            let kind: TokenKind = symbol == ";" && depth == 0 ? .end : .symbol(symbol)
            return Token(kind: kind, location: location(start, symbol.unicodeScalars.count))
        }
        if !finished {
            finished = true
            return Token(kind: .end, location: location(k, 1))
        }
        return Token(kind: .endOfFile, location: location(k, 1))
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    private func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }

    private static func matches(_ symbol: String, _ s: [Unicode.Scalar], at k: Int) -> Bool {
        var j = k
        for scalar in symbol.unicodeScalars {
            guard j < s.count, s[j] == scalar else { return false }
            j += 1
        }
        return true
    }
}

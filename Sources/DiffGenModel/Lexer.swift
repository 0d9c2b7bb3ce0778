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
    case param, input, `let`, output, def, function, `return`, `for`, `in`
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

/// Splits a model text into tokens. Line breaks end statements except inside parentheses and
/// brackets; `#` starts a comment to the end of the line.
struct Lexer {
    private static let symbols = ["->", "<=", ">=", "==", "!=", "&&", "||", ".*",
                                  "(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "+", "-", "*", "/", "^", "'", "<", ">", "!"]

    static func tokens(of source: SourceText) throws -> [Token] {
        let s = source.scalars
        var tokens: [Token] = []
        var k = 0, line = 1, lineStart = 0
        var depth = 0  // open ( and [ : line breaks inside them continue the statement
        func location(_ start: Int, _ length: Int) -> SourceLocation {
            SourceLocation(line: line, column: start - lineStart + 1, offset: start, length: length)
        }
        while k < s.count {
            let c = s[k]
            if c == "\n" {
                if depth == 0 { tokens.append(Token(kind: .end, location: location(k, 1))) }
                k += 1
                line += 1
                lineStart = k
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
                var text = String.UnicodeScalarView()
                text.append(contentsOf: s[start..<k])
                guard let value = Double(String(text)), value.isFinite else {
                    throw source.diagnostic("'\(String(text))' is not a finite number", at: location(start, k - start))
                }
                tokens.append(Token(kind: .number(value), location: location(start, k - start)))
                continue
            }
            if isLetter(c) {
                while k < s.count && (isLetter(s[k]) || isDigit(s[k])) { k += 1 }
                var text = String.UnicodeScalarView()
                text.append(contentsOf: s[start..<k])
                let word = String(text)
                let kind: TokenKind = Keyword(rawValue: word).map { .keyword($0) } ?? .name(word)
                tokens.append(Token(kind: kind, location: location(start, k - start)))
                continue
            }
            guard let symbol = symbols.first(where: { matches($0, s, at: k) }) else {
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
            tokens.append(Token(kind: kind, location: location(start, symbol.unicodeScalars.count)))
        }
        tokens.append(Token(kind: .end, location: location(k, 1)))
        tokens.append(Token(kind: .endOfFile, location: location(k, 1)))
        return tokens
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    private static func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }

    private static func matches(_ symbol: String, _ s: [Unicode.Scalar], at k: Int) -> Bool {
        var j = k
        for scalar in symbol.unicodeScalars {
            guard j < s.count, s[j] == scalar else { return false }
            j += 1
        }
        return true
    }
}

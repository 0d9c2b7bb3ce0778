/// A located problem in an input file: where it is, what was expected, and the line itself.
///
/// One printer (`description`) renders every diagnostic of the model parser and the command
/// line alike:
///
///     cartpole.dg:12:9: error: unknown name 'thetaa'
///        12 | let a = thetaa * 2
///           |         ^~~~~~
public struct Diagnostic: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    /// 1-based line and column (columns count Unicode scalars).
    public let line: Int
    public let column: Int
    /// How many columns the caret underlines (at least 1).
    public let length: Int
    public let message: String
    /// The text of the offending line, without its newline.
    public let excerpt: String

    public init(file: String, line: Int, column: Int, length: Int = 1, message: String, excerpt: String) {
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
        self.message = message
        self.excerpt = excerpt
    }

    public var description: String {
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        // Tabs stay tabs under the caret, so it lines up in any terminal.
        let lead = String(excerpt.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        let caret = "^" + String(repeating: "~", count: length - 1)
        return "\(file):\(line):\(column): error: \(message)\n \(number) | \(excerpt)\n \(gutter) | \(lead)\(caret)"
    }
}

/// A position in a source text.
struct SourceLocation: Equatable, Sendable {
    var line: Int
    var column: Int
    /// Offset of the first scalar, and how many scalars the construct spans (on its first line).
    var offset: Int
    var length: Int
}

/// A source text with its lines, for diagnostics.
struct SourceText: Sendable {
    let file: String
    let scalars: [Unicode.Scalar]
    private let lineStarts: [Int]

    init(file: String, text: String) {
        self.file = file
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (k, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(k + 1) }
        lineStarts = starts
    }

    func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = start
        while end < scalars.count && scalars[end] != "\n" && scalars[end] != "\r" { end += 1 }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<end])
        return String(text)
    }

    func diagnostic(_ message: String, at location: SourceLocation) -> Diagnostic {
        let excerpt = lineText(location.line)
        let room = max(1, excerpt.unicodeScalars.count - location.column + 1)
        return Diagnostic(file: file, line: location.line, column: location.column,
                          length: min(location.length, room), message: message, excerpt: excerpt)
    }
}

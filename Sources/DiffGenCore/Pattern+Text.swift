/// A coordinate-list pattern file that could not be read: where and why.
public struct PatternTextError: Error, CustomStringConvertible, Equatable, Sendable {
    public let line: Int
    public let column: Int
    public let reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
}

extension Pattern {
    /// Reads the coordinate text form: a first line `rows cols nnz`, then one `i j` per nonzero
    /// (0-based, any order; duplicates count once), exactly `nnz` of them. Blank lines and lines
    /// starting with `%` or `#` are skipped.
    ///
    /// The header is never trusted for memory: entries are reserved by what the text can hold,
    /// and a column count far beyond the text's size (whose column array alone would need
    /// gigabytes) is refused.
    /// - Throws: `PatternTextError` with the line and column of the first problem.
    public init(coordinateText text: String) throws {
        var header: [Int]? = nil
        var entries: [(row: Int, col: Int)] = []
        var lineNumber = 0
        // Each entry takes at least four bytes ("0 0\n").
        let entryBound = text.utf8.count / 4 + 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "%" || trimmed.first == "#" { continue }
            var numbers: [Int] = []
            var column = 1
            var fieldStart = 1
            var current: Int? = nil
            for character in line.utf8 + [UInt8(ascii: " ")] {
                if character == UInt8(ascii: " ") || character == UInt8(ascii: "\t") || character == UInt8(ascii: "\r") {
                    if let value = current { numbers.append(value) }
                    current = nil
                } else if character >= UInt8(ascii: "0") && character <= UInt8(ascii: "9") {
                    if current == nil { fieldStart = column }
                    let (product, overflow) = (current ?? 0).multipliedReportingOverflow(by: 10)
                    guard !overflow, product <= Int(Int32.max) else {
                        throw PatternTextError(line: lineNumber, column: fieldStart, reason: "number too large")
                    }
                    current = product + Int(character - UInt8(ascii: "0"))
                } else {
                    throw PatternTextError(line: lineNumber, column: column, reason: "expected a non-negative integer")
                }
                column += 1
            }
            let expected = header == nil ? 3 : 2
            guard numbers.count == expected else {
                throw PatternTextError(line: lineNumber, column: 1,
                                       reason: header == nil ? "expected `rows cols nnz`" : "expected `row col`, got \(numbers.count) numbers")
            }
            if let header {
                guard numbers[0] < header[0] else { throw PatternTextError(line: lineNumber, column: 1, reason: "row \(numbers[0]) outside 0..<\(header[0])") }
                guard numbers[1] < header[1] else { throw PatternTextError(line: lineNumber, column: fieldStart, reason: "column \(numbers[1]) outside 0..<\(header[1])") }
                entries.append((numbers[0], numbers[1]))
            } else {
                let columnBound = 64 * text.utf8.count + (1 << 20)
                guard numbers[1] <= columnBound else {
                    throw PatternTextError(line: lineNumber, column: 1,
                                           reason: "\(numbers[1]) columns is more than a \(text.utf8.count)-byte text can describe (at most \(columnBound))")
                }
                header = numbers
                entries.reserveCapacity(min(numbers[2], entryBound))
            }
        }
        guard let header else { throw PatternTextError(line: max(lineNumber, 1), column: 1, reason: "no `rows cols nnz` header") }
        guard entries.count == header[2] else {
            throw PatternTextError(line: max(lineNumber, 1), column: 1, reason: "the header announces \(header[2]) entries, the text holds \(entries.count)")
        }
        self.init(rows: header[0], cols: header[1], entries: entries)
    }
}

extension Pattern {
    /// The coordinate text form `init(coordinateText:)` reads: `rows cols nnz`, then `i j` per
    /// nonzero in compressed-column order.
    public var coordinateText: String {
        var text = "\(rows) \(cols) \(nonzeroCount)\n"
        text.reserveCapacity(nonzeroCount * 12)
        for (row, col) in entries { text += "\(row) \(col)\n" }
        return text
    }
}

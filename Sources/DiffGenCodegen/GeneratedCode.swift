#if canImport(Glibc)
import Glibc
#endif

/// Generated C: a source file (absent in header-only mode) and a header.
public struct GeneratedCode: Sendable {
    /// File name without extension: `NAME.c` and `NAME.h`.
    public let baseName: String
    public let source: String?
    public let header: String
    /// Operations per function, in order: the instruction counts the benchmarks compare.
    public let operationCounts: [Int]
    /// Doubles of work memory each function's CasADi-interface entry needs (`NAME_work`), in order.
    public internal(set) var workSizes: [Int] = []
    /// Build files by name (`Makefile`, `CMakeLists.txt`) when requested.
    public var buildFiles: [(name: String, text: String)] = []

    /// Writes `baseName.c` (unless header-only) and `baseName.h` into `directory`, creating it if
    /// needed. Each file is written to a temporary name and renamed into place, so a reader never
    /// sees a half-written file and a failure leaves the old file as it was.
    public func write(to directory: String) throws {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw CodegenError.unwritable(path: directory, reason: String(cString: strerror(errno)))
        }
        if let source { try Self.writeAtomically(source, to: "\(directory)/\(baseName).c") }
        try Self.writeAtomically(header, to: "\(directory)/\(baseName).h")
        for file in buildFiles { try Self.writeAtomically(file.text, to: "\(directory)/\(file.name)") }
    }

    static func writeAtomically(_ text: String, to path: String) throws {
        let temporary = "\(path).tmp\(getpid())"
        func fail() -> CodegenError {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return CodegenError.unwritable(path: path, reason: reason)
        }
        guard let file = fopen(temporary, "w") else { throw fail() }
        var text = text
        let (written, expected) = text.withUTF8 { (fwrite($0.baseAddress, 1, $0.count, file), $0.count) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written == expected, flushed else { throw fail() }
        guard rename(temporary, path) == 0 else { throw fail() }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import DiffGenCore

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
    /// Doubles of work memory of each function's batched entry (`CodegenOptions.batchLanes`).
    public internal(set) var batchWorkSizes: [Int] = []
    /// Build files by name (`Makefile`, `CMakeLists.txt`) when requested.
    public var buildFiles: [(name: String, text: String)] = []

    /// Writes `baseName.c` (unless header-only), `baseName.h` and the build files into
    /// `directory`, creating it if needed. Every file is first written in full under a unique
    /// temporary name, then all are renamed into place: a reader never sees a half-written file,
    /// and a failure while writing leaves every old file as it was and no temporary behind.
    public func write(to directory: String) throws {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw CodegenError.unwritable(path: directory, reason: String(cString: strerror(errno)))
        }
        var files: [(String, String)] = []
        if let source { files.append(("\(baseName).c", source)) }
        files.append(("\(baseName).h", header))
        files += buildFiles.map { ($0.name, $0.text) }
        var staged: [AtomicFile.Staged] = []
        do {
            let mode = AtomicFile.respectingUmask(0o644)
            for (name, text) in files {
                var text = text
                staged.append(try text.withUTF8 { try AtomicFile.stage(UnsafeRawBufferPointer($0), to: "\(directory)/\(name)", mode: mode) })
            }
            for (k, file) in staged.enumerated() {
                do { try file.commit() } catch {
                    staged[(k + 1)...].forEach { $0.discard() }
                    throw error
                }
            }
        } catch let failure as AtomicFile.Failure {
            staged.forEach { $0.discard() }
            throw CodegenError.unwritable(path: failure.path, reason: failure.reason)
        }
    }
}

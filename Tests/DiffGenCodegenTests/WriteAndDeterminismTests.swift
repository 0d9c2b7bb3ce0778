import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

private func sampleCode(_ scale: Double) throws -> GeneratedCode {
    let context = ExprContext()
    let x = context.vector("x", count: 2)
    let f = try Function("f", inputs: [("x", x)], outputs: [("y", Matrix(sin(x[0]) * x[1] * scale))])
    return try CGenerator.generate([f], baseName: "ok")
}

/// A write that fails leaves the old files as they were and no temporary behind.
@Test func aFailedWriteLeavesTheOldFilesAndNoTemporaries() throws {
    let directory = try CToolchain.temporaryDirectory("atomic-fail")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try sampleCode(1).write(to: directory)
    let oldHeader = try String(contentsOfFile: "\(directory)/ok.h", encoding: .utf8)
    // ok.c replaced by a non-empty directory: renaming the new source over it fails.
    try FileManager.default.removeItem(atPath: "\(directory)/ok.c")
    try FileManager.default.createDirectory(atPath: "\(directory)/ok.c/inside", withIntermediateDirectories: true)
    let error = #expect(throws: CodegenError.self) { try sampleCode(2).write(to: directory) }
    #expect("\(error.map { "\($0)" } ?? "")".contains("ok.c"), "\(String(describing: error))")
    #expect(try String(contentsOfFile: "\(directory)/ok.h", encoding: .utf8) == oldHeader, "the header changed although the write failed")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["ok.c", "ok.h"], "temporaries left behind")
}

/// Writers racing on one file each use their own temporary: the file always ends whole, as one
/// of them wrote it, and no temporary is left.
@Test func concurrentWritersNeverMixTheirFiles() async throws {
    let directory = try CToolchain.temporaryDirectory("atomic-race")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let codes = [try sampleCode(3), try sampleCode(5)]
    try await withThrowingTaskGroup(of: Void.self) { group in
        for code in codes {
            group.addTask { for _ in 0..<50 { try code.write(to: directory) } }
        }
        try await group.waitForAll()
    }
    let source = try String(contentsOfFile: "\(directory)/ok.c", encoding: .utf8)
    #expect(codes.contains { $0.source == source })
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["ok.c", "ok.h"])
    let mode = try FileManager.default.attributesOfItem(atPath: "\(directory)/ok.c")[.posixPermissions] as? Int
    #expect(mode.map { $0 & 0o600 == 0o600 && $0 & 0o022 == 0 } == true, "mode \(String(mode ?? 0, radix: 8))")
}

/// The same model gives the same bytes in two processes (each with its own hash seed).
@Test(arguments: ["panda_fk/jac", "cartpole_ms/hess_L", "nbody_energy/hess"])
func generationIsDeterministicAcrossProcesses(_ product: String) throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diffgen-bench").path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build all products first (make test does)")
    let directories = try (0..<2).map { _ in try CToolchain.temporaryDirectory("determinism") }
    defer { directories.forEach { try? FileManager.default.removeItem(atPath: $0) } }
    for directory in directories {
        let run = try CToolchain.run(["env", "SWIFT_DETERMINISTIC_HASHING=", binary, "emit", product, directory])
        try #require(run.succeeded, "\(run.errors)")
    }
    for name in ["f.c", "f.h"] {
        let first = try Data(contentsOf: URL(fileURLWithPath: "\(directories[0])/\(name)"))
        let second = try Data(contentsOf: URL(fileURLWithPath: "\(directories[1])/\(name)"))
        #expect(!first.isEmpty && first == second, "\(product): \(name) differs between two processes")
    }
}

@testable import DiffGenJIT
import Testing

/// Host-tuned builds are cached per CPU, so a cache directory shared by two machines never hands
/// one of them code tuned for the other; untuned builds share their key across CPUs.
@Test func hostTunedBuildsAreCachedPerCPU() {
    let tuned = SystemCompiler(command: "cc", flags: ["-O2", "-march=native"], cacheDirectory: "/unused")
    #expect(tuned.cacheKey(for: "int x;", host: "cpu A") != tuned.cacheKey(for: "int x;", host: "cpu B"))
    #expect(tuned.cacheKey(for: "int x;", host: "cpu A") == tuned.cacheKey(for: "int x;", host: "cpu A"))
    let plain = SystemCompiler(command: "cc", flags: ["-O2"], cacheDirectory: "/unused")
    #expect(plain.cacheKey(for: "int x;", host: "cpu A") == plain.cacheKey(for: "int x;", host: "cpu B"))
    #expect(!SystemCompiler.hostCPU.isEmpty)
    // The identity must not change from one read to the next (clock lines stay out of it).
    #expect(SystemCompiler.hostCPU.contains("MHz") == false)
    #if arch(x86_64)
    #expect(SystemCompiler.defaultFlags.contains("-march=native"))
    #endif
}

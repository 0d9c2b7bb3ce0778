import DiffGen
@testable import DiffGenJIT
import DiffGenTestSupport
import Foundation
import Testing

/// Host-tuned builds are cached per CPU, so a cache directory shared by two machines never hands
/// one the other's tuned code; untuned builds do not depend on the CPU.
@Test func hostTunedBuildsAreCachedPerCPU() throws {
    let tuned = SystemCompiler(command: "cc", flags: ["-O2", "-march=native"], cache: .disabled)
    #expect(try tuned.cacheKey(for: "int x;", host: "cpu A") != tuned.cacheKey(for: "int x;", host: "cpu B"))
    #expect(try tuned.cacheKey(for: "int x;", host: "cpu A") == tuned.cacheKey(for: "int x;", host: "cpu A"))
    let plain = SystemCompiler(command: "cc", flags: ["-O2"], cache: .disabled)
    #expect(try plain.cacheKey(for: "int x;", host: "cpu A") == plain.cacheKey(for: "int x;", host: "cpu B"))
    // The compiler and its flags are part of the key.
    #expect(try plain.cacheKey(for: "int x;") != SystemCompiler(command: "cc", flags: ["-O1"], cache: .disabled).cacheKey(for: "int x;"))
    #expect(try plain.cacheKey(for: "int x;") != SystemCompiler(command: "clang", flags: ["-O2"], cache: .disabled).cacheKey(for: "int x;"))
}

/// Where the cache lives: moved or turned off by the environment, never a shared temporary
/// directory.
@Test func cacheLocationFollowsTheEnvironment() {
    #expect(SystemCompiler.defaultCacheDirectory(["DIFFGEN_CACHE_DIR": "/x/y", "HOME": "/h"]) == "/x/y")
    #expect(SystemCompiler.defaultCacheDirectory(["XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/c/diffgen")
    #expect(SystemCompiler.defaultCacheDirectory(["HOME": "/h"]) == "/h/.cache/diffgen")
    #expect(SystemCompiler.defaultCacheDirectory(["DIFFGEN_CACHE": "off", "HOME": "/h"]) == nil)
    #expect(SystemCompiler.defaultCacheDirectory([:]) == nil)
}

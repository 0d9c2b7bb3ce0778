import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

/// The disk cache of optimized builds, attacked where it could break: planted, linked, corrupt
/// and truncated objects, directories that are not this user's alone, two processes at once,
/// and the size bound.
private let source = "double f(double x) { return 3 * x; }\n"

private func call(_ library: SharedLibrary, _ x: Double) throws -> Double {
    let f = unsafeBitCast(try #require(library.address(of: "f")), to: (@convention(c) (Double) -> Double).self)
    return f(x)
}

private func withCacheDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let parent = try CToolchain.temporaryDirectory("jitcache")
    defer { try? FileManager.default.removeItem(atPath: parent) }
    return try body(parent + "/cache")
}

private func files(_ directory: String, suffix: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }.sorted()
}

/// A shared library computing 42 for every input: what an attacker would plant.
private func plantedLibrary(in directory: String) throws -> String {
    let path = directory + "/planted.so"
    try "double f(double x) { (void)x; return 42; }\n".write(toFile: directory + "/planted.c", atomically: true, encoding: .utf8)
    let build = try CToolchain.run(["cc", "-shared", "-fPIC", "-o", path, directory + "/planted.c"])
    try #require(build.succeeded, "\(build.errors)")
    return path
}

@Test func theCacheDirectoryIsCreatedPrivate() throws {
    try withCacheDirectory { cache in
        let (library, cached) = try SystemCompiler(cache: .directory(cache)).load(source)
        #expect(!cached)
        #expect(try call(library, 2) == 6)
        let attributes = try FileManager.default.attributesOfItem(atPath: cache)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) {
            let mode = try FileManager.default.attributesOfItem(atPath: cache + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name) has mode \(String(mode ?? 0, radix: 8))")
        }
        #expect(try SystemCompiler(cache: .directory(cache)).load(source).cached)
    }
}

/// A cache holding one built object: the compiler, the object's path, and a planted library
/// (returning 42) beside the cache.
private func cacheWithOneObject(_ cache: String) throws -> (compiler: SystemCompiler, object: String, planted: String) {
    let compiler = SystemCompiler(cache: .directory(cache))
    _ = try compiler.load(source)
    let object = cache + "/" + (try files(cache, suffix: ".so"))[0]
    return (compiler, object, try plantedLibrary(in: (cache as NSString).deletingLastPathComponent))
}

@Test func aPlantedObjectIsRebuiltNotLoaded() throws {
    try withCacheDirectory { cache in
        let (compiler, object, planted) = try cacheWithOneObject(cache)
        try FileManager.default.removeItem(atPath: object)
        try FileManager.default.copyItem(atPath: planted, toPath: object)
        chmod(object, 0o600)
        let (library, cached) = try compiler.load(source)
        #expect(!cached, "a planted object was taken as a cache hit")
        #expect(try call(library, 2) == 6)
    }
}

@Test func symbolicLinksAreNotFollowed() throws {
    try withCacheDirectory { cache in
        let (compiler, object, planted) = try cacheWithOneObject(cache)
        try FileManager.default.removeItem(atPath: object)
        try FileManager.default.createSymbolicLink(atPath: object, withDestinationPath: planted)
        let (library, cached) = try compiler.load(source)
        #expect(!cached)
        #expect(try call(library, 2) == 6)
        // The cache directory itself behind a link is refused.
        let linked = cache + "-link"
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: cache)
        let error = #expect(throws: JITError.self) { try SystemCompiler(cache: .directory(linked)).load(source) }
        #expect(error?.message.contains("symbolic link") == true, "\(String(describing: error))")
    }
}

@Test func corruptAndTruncatedEntriesAreRebuilt() throws {
    try withCacheDirectory { cache in
        let compiler = SystemCompiler(cache: .directory(cache))
        _ = try compiler.load(source)
        let object = cache + "/" + (try files(cache, suffix: ".so"))[0]
        // Truncated to half: loading it would fault (SIGBUS) where its pages are missing.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: object))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: object))
        var (library, cached) = try compiler.load(source)
        #expect(!cached)
        #expect(try call(library, 5) == 15)
        // Garbage in the entry.
        let entry = cache + "/" + (try files(cache, suffix: ".entry"))[0]
        try "not a digest".write(toFile: entry, atomically: false, encoding: .utf8)
        (library, cached) = try compiler.load(source)
        #expect(!cached)
        #expect(try call(library, 5) == 15)
        #expect(try compiler.load(source).cached)
    }
}

@Test func directoriesOthersCouldWriteOrOwnAreRefused() throws {
    try withCacheDirectory { cache in
        _ = try SystemCompiler(cache: .directory(cache)).load(source)
        chmod(cache, 0o770)
        let groupWritable = #expect(throws: JITError.self) { try SystemCompiler(cache: .directory(cache)).load(source) }
        #expect(groupWritable?.message.contains("group or others may write") == true, "\(String(describing: groupWritable))")
        chmod(cache, 0o700)
        // Another user's directory: chown where we may (root), else a system directory.
        let foreign: String
        if geteuid() == 0 {
            #expect(chown(cache, 65534, 65534) == 0)
            foreign = cache
        } else {
            foreign = "/usr"
        }
        let owned = #expect(throws: JITError.self) { try SystemCompiler(cache: .directory(foreign)).load(source) }
        #expect(owned?.message.contains("owned by user") == true, "\(String(describing: owned))")
    }
}

@Test func twoProcessesRacingOnOneEntryLeaveOneValidObject() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("diffgen-bench").path
    try #require(FileManager.default.isExecutableFile(atPath: binary), "build all products first (make test does)")
    for round in 0..<3 {
        try withCacheDirectory { cache in
            let script = "\(binary) jit-cache \(cache) & a=$!; \(binary) jit-cache \(cache) & b=$!; \(binary) jit-cache \(cache) && wait $a && wait $b"
            let run = try CToolchain.run(["bash", "-c", script])
            #expect(run.succeeded && run.output.split(separator: "\n").count == 3, "round \(round): \(run.output) \(run.errors)")
            let entries = try files(cache, suffix: ".entry")
            #expect(entries.count == 1, "round \(round): \(entries)")
            // The one entry loads as a verified hit in a third process.
            let again = try CToolchain.run([binary, "jit-cache", cache])
            #expect(again.succeeded, "\(again.errors)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache).allSatisfy { !$0.hasPrefix("build-") })
        }
    }
}

@Test func leastRecentlyUsedEntriesAreEvictedPastTheBound() throws {
    try withCacheDirectory { cache in
        let sources = (0..<3).map { "double f(double x) { return \($0 + 3) * x; }\n" }
        _ = try SystemCompiler(cache: .directory(cache)).load(sources[0])
        let objectSize = try FileManager.default.attributesOfItem(atPath: cache + "/" + (try files(cache, suffix: ".so"))[0])[.size] as! Int
        // Room for two objects.
        let compiler = SystemCompiler(cache: .directory(cache), cacheSizeLimit: 2 * objectSize + objectSize / 2)
        usleep(20_000)
        _ = try compiler.load(sources[1])
        usleep(20_000)
        #expect(try compiler.load(sources[0]).cached)  // 0 is now more recent than 1
        usleep(20_000)
        _ = try compiler.load(sources[2])
        #expect(try files(cache, suffix: ".entry").count == 2)
        #expect(try compiler.load(sources[0]).cached)
        #expect(try compiler.load(sources[2]).cached)
        #expect(try !compiler.load(sources[1]).cached, "the least recently used entry should have been evicted")
    }
}

/// The tests building with the cache disabled build in the shared temporary directory: run one
/// at a time, so one's transient build directory is never counted as the other's leftover.
@Suite(.serialized) struct DisabledCacheBuilds {
    @Test func aDisabledCacheBuildsLoadsAndLeavesNothing() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("build-") }
        let (library, cached) = try SystemCompiler(cache: .disabled).load(source)
        #expect(!cached)
        #expect(try call(library, 1.5) == 4.5)
        let after = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("build-") }
        #expect(Set(after).subtracting(before).isEmpty)
    }

    /// Libraries loaded one after another each run their own code, while the first is still
    /// loaded: the loader knows libraries by name, and a descriptor number freed and reused would
    /// otherwise name the first library again.
    @Test func librariesLoadedInTurnKeepTheirOwnCode() throws {
        let first = try SystemCompiler(cache: .disabled).load("double f(double x) { return 3 * x; }\n").library
        let second = try SystemCompiler(cache: .disabled).load("double f(double x) { return 5 * x; }\n").library
        #expect(try call(first, 1) == 3)
        #expect(try call(second, 1) == 5)
    }
}

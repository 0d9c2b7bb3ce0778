import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

/// A cache directory of its own, removed afterwards.
private func withCache<R>(_ body: (String) throws -> R) throws -> R {
    let directory = try CToolchain.temporaryDirectory("cache")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

private func sample(_ name: String) throws -> (Function, Interpreter) {
    let context = ExprContext()
    let x = context.vector("x", count: 3)
    let f = try Matrix(column: [sin(x[0]) * exp(x[1]) + x[2] / (1 + sq(x[0])), atan2(x[1], x[2]) * cos(x[0] * x[2])])
    let function = try Function(name, inputs: [("x", x)], outputs: [("f", f), ("J", try jacobian(of: f, wrt: x))])
    return (function, Interpreter(function))
}

/// The tcc tier answers at once; the gcc -O2 tier takes over behind the same callable and gives
/// the same bits (both follow the interpreter exactly: no fused multiply-adds, same libm).
@Test func optimizedTierTakesOverWithIdenticalResults() throws {
    try withCache { cache in
        let (function, interpreter) = try sample("tiered_\(UInt32.random(in: 0...UInt32.max))")
        let native = try function.compiled(optimizeWith: SystemCompiler(cacheDirectory: cache))
        let point = [0.3, -0.7, 1.9]
        let expected = try interpreter.evaluate([point]).flatMap { $0 }.map(\.bitPattern)
        let tccAddress = native.entryAddress
        #expect(native([point]).flatMap { $0 }.map(\.bitPattern) == expected, "tcc tier")
        let tier = native.waitForOptimization(seconds: 120)
        #expect(tier == .optimized, "optimized build: \(tier)")
        #expect(native.entryAddress != tccAddress)
        #expect(native([point]).flatMap { $0 }.map(\.bitPattern) == expected, "optimized tier")
        let libraries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".so") }
        #expect(libraries.count == 1 && libraries.allSatisfy { $0.hasPrefix("dg-") }, "\(libraries)")
    }
}

/// Threads keep calling while the switch happens; every result is right before, during and after.
@Test func callsDuringTheSwitchStayCorrect() async throws {
    let cache = try CToolchain.temporaryDirectory("cache")
    defer { try? FileManager.default.removeItem(atPath: cache) }
    do {
        let (function, interpreter) = try sample("switch_\(UInt32.random(in: 0...UInt32.max))")
        let native = try function.compiled(optimizeWith: SystemCompiler(cacheDirectory: cache))
        let expected = try (0..<64).map { k in try interpreter.evaluate([[0.01 * Double(k), 0.5, -1.5]]).flatMap { $0 } }
        let wrong = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var wrong = 0, calls = 0
                    while native.tier == .optimizing || calls < 2000 {
                        let k = calls % 64
                        if native([[0.01 * Double(k), 0.5, -1.5]]).flatMap({ $0 }) != expected[k] { wrong += 1 }
                        calls += 1
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(native.tier == .optimized)
    }
}

/// A library built before is found in the cache for the same source, and a cached library whose
/// stored source differs is rebuilt rather than trusted.
@Test func cachedLibrariesAreReusedAndChecked() throws {
    try withCache { cache in
        let (function, interpreter) = try sample("cached_\(UInt32.random(in: 0...UInt32.max))")
        let first = try function.compiled(optimizeWith: SystemCompiler(cacheDirectory: cache))
        #expect(first.waitForOptimization(seconds: 120) == .optimized)
        let compiler = SystemCompiler(cacheDirectory: cache)
        var source = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) where name.hasSuffix(".c") {
            source = try String(contentsOfFile: "\(cache)/\(name)", encoding: .utf8)
        }
        #expect(try compiler.library(for: source).cached)
        // Same key, but the stored source differs: rebuilt, not loaded.
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) where name.hasSuffix(".c") {
            try (source + "\n/* tampered */\n").write(toFile: "\(cache)/\(name)", atomically: true, encoding: .utf8)
        }
        #expect(try !compiler.library(for: source).cached)
        #expect(try compiler.library(for: source).cached)
        let point = [1.1, 0.2, 0.4]
        #expect(first([point]).flatMap { $0 } == (try interpreter.evaluate([point]).flatMap { $0 }))
    }
}

/// A compiler that fails leaves the callable on tcc's code, with the message in its tier.
@Test func failedOptimizedBuildKeepsTheTccTier() throws {
    try withCache { cache in
        let (function, interpreter) = try sample("failing_\(UInt32.random(in: 0...UInt32.max))")
        let native = try function.compiled(optimizeWith: SystemCompiler(flags: ["-O2", "-fPIC", "-shared", "-Wno-such-flag-xyz", "-Werror=unknown-warning-option", "--no-such-option"], cacheDirectory: cache))
        let tier = native.waitForOptimization(seconds: 120)
        guard case .failed(let message) = tier else {
            Issue.record("expected a failed build, got \(tier)")
            return
        }
        #expect(message.contains("no-such-option"), "\(message)")
        let point = [0.5, 0.5, 0.5]
        #expect(native([point]).flatMap { $0 } == (try interpreter.evaluate([point]).flatMap { $0 }))
    }
}

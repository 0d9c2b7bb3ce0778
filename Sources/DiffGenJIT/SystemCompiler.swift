import Foundation

/// The system C compiler building generated C into shared libraries, with an on-disk cache.
///
/// A library is stored under a hash of the compiler, its flags and the source; the source is kept
/// beside it and compared on every hit, so a hash collision rebuilds instead of loading the wrong
/// code. Files appear by atomic rename only: a concurrent or interrupted build never leaves a
/// half-written library for someone else to load.
public struct SystemCompiler: Sendable {
    /// The compiler command (`$CC` if set, else `cc`).
    public var command: String
    /// Flags before the output and source arguments. `-ffp-contract=off` keeps results bit-equal
    /// to the tcc tier and the interpreter (no fused multiply-adds); the host-tuning flag lets the
    /// compiler use every instruction this CPU has (the library only ever runs here), which
    /// changes no result: IEEE operations round the same in every instruction set.
    public var flags: [String]
    public var cacheDirectory: String

    /// How the code is compiled: `-O2`, host tuning, no contraction (what a harness building the
    /// same C into an executable uses to time this tier).
    public static let codeFlags = ["-O2"] + hostTuning + ["-ffp-contract=off"]

    /// The default flags: `codeFlags`, building a shared library.
    public static let defaultFlags = codeFlags + ["-fPIC", "-shared"]

    /// `-march=native` on x86-64, `-mcpu=native` on 64-bit ARM (where gcc and clang spell it
    /// so), nothing elsewhere.
    static var hostTuning: [String] {
        #if arch(x86_64)
        return ["-march=native"]
        #elseif arch(arm64)
        return ["-mcpu=native"]
        #else
        return []
        #endif
    }

    public init(command: String? = nil, flags: [String] = SystemCompiler.defaultFlags,
                cacheDirectory: String? = nil) {
        let environment = ProcessInfo.processInfo.environment
        self.command = command ?? environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
        self.flags = flags
        self.cacheDirectory = cacheDirectory ?? SystemCompiler.defaultCacheDirectory(environment)
    }

    /// `$DIFFGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/diffgen`, else `~/.cache/diffgen`.
    static func defaultCacheDirectory(_ environment: [String: String]) -> String {
        if let explicit = environment["DIFFGEN_CACHE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/diffgen" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/diffgen" }
        return NSTemporaryDirectory() + "diffgen-cache-\(getuid())"
    }

    /// The shared library built from `source`: from the cache if it holds this exact source, else
    /// compiled now (and cached).
    /// - Throws: `JITError` with the compiler's message when it fails or cannot run.
    public func library(for source: String) throws -> (path: String, cached: Bool) {
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let key = cacheKey(for: source)
        let library = "\(cacheDirectory)/dg-\(key).so"
        let kept = "\(cacheDirectory)/dg-\(key).c"
        if FileManager.default.fileExists(atPath: library),
           let previous = FileManager.default.contents(atPath: kept), previous.elementsEqual(source.utf8) {
            return (library, true)
        }
        let unique = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let temporarySource = "\(cacheDirectory)/build-\(unique).c"
        let temporaryLibrary = "\(cacheDirectory)/build-\(unique).so"
        defer {
            unlink(temporarySource)
            unlink(temporaryLibrary)
        }
        try Data(source.utf8).write(to: URL(fileURLWithPath: temporarySource))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + flags + ["-o", temporaryLibrary, temporarySource, "-lm"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw JITError(message: "cannot run \(command): \(error)", line: nil, sourceLine: nil)
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw JITError(message: "\(command) failed (status \(process.terminationStatus)): \(message)", line: nil, sourceLine: nil)
        }
        // The source first: a library is only ever found next to the source it was built from.
        try Data(source.utf8).write(to: URL(fileURLWithPath: kept), options: .atomic)
        guard rename(temporaryLibrary, library) == 0 else {
            throw JITError(message: "cannot store \(library): \(String(cString: strerror(errno)))", line: nil, sourceLine: nil)
        }
        return (library, false)
    }

    /// The cache key of `source` built with these flags; host-tuned builds also name the CPU, since
    /// code tuned for one CPU can fault on another that shares the cache directory.
    func cacheKey(for source: String, host: String = SystemCompiler.hostCPU) -> String {
        let tuned = flags.contains { $0.hasSuffix("=native") }
        return SystemCompiler.key([command] + flags + (tuned ? [host] : []) + [source])
    }

    /// What names this CPU's instruction set: the first processor's block of `/proc/cpuinfo`
    /// (model and feature flags) where it exists, else the machine name from `uname`.
    static let hostCPU: String = {
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let block = info.components(separatedBy: "\n\n").first, !block.isEmpty {
            // Per-core lines that change from read to read (clock, core ids) stay out of the key.
            let stable = block.split(separator: "\n").filter { line in
                ["model", "flags", "features", "vendor", "cpu family", "cpu part", "cpu implementer", "cpu variant", "cpu architecture"]
                    .contains { line.lowercased().hasPrefix($0) }
            }
            return stable.joined(separator: "\n")
        }
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()

    /// 128 bits of two FNV-1a hashes (different offsets) over the parts, as hex.
    static func key(_ parts: [String]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        for part in parts {
            for byte in part.utf8 {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 ^ (b >> 29)
            }
            a = (a ^ 0xff) &* 0x0000_0100_0000_01b3
            b = (b ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        func hex(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(a) + hex(b)
    }
}

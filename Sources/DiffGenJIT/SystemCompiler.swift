import DiffGenCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The system C compiler building generated C into shared libraries, with an on-disk cache
/// (`LibraryCache`: a private directory, entries keyed by a SHA-256 of the source, compiler,
/// version and flags, objects verified against their recorded SHA-256 before they are loaded).
public struct SystemCompiler: Sendable {
    /// Where built libraries are kept between runs.
    public enum Cache: Sendable, Equatable {
        /// `$DIFFGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/diffgen`, else `~/.cache/diffgen`; none
        /// when `DIFFGEN_CACHE` is `off` or `0`, or no home directory is known.
        case automatic
        case directory(String)
        /// Build in a private temporary directory, load, and delete.
        case disabled
    }

    /// The compiler command (`$CC` if set, else `cc`).
    public var command: String
    /// Flags before the output and source arguments. `-ffp-contract=off` and `-mno-fma` keep
    /// results bit-equal to the tcc tier and the interpreter (no fused multiply-adds, which gcc
    /// 12's vectorizer emits for `a*b ± c*d` with `-march=native` despite `-ffp-contract=off`);
    /// the host-tuning flag lets the compiler use every other instruction this CPU has (the
    /// library only ever runs here).
    public var flags: [String]
    public var cache: Cache
    /// Bytes of cached objects kept before the least recently used are evicted
    /// (`$DIFFGEN_CACHE_MAX_MB`, else 256 MiB).
    public var cacheSizeLimit: Int

    /// How the code is compiled: `-O2`, host tuning, no contraction (what a harness building the
    /// same C into an executable uses to time this tier).
    public static let codeFlags = ["-O2"] + hostTuning + ["-ffp-contract=off"]

    /// The default flags: `codeFlags`, building a shared library.
    public static let defaultFlags = codeFlags + ["-fPIC", "-shared"]

    /// `-march=native -mno-fma -mno-fma4` on x86-64, `-mcpu=native` on 64-bit ARM (where gcc and
    /// clang spell it so, and contraction is the only source of fused operations), nothing
    /// elsewhere.
    static var hostTuning: [String] {
        #if arch(x86_64)
        return ["-march=native", "-mno-fma", "-mno-fma4"]
        #elseif arch(arm64)
        return ["-mcpu=native"]
        #else
        return []
        #endif
    }

    public init(command: String? = nil, flags: [String] = SystemCompiler.defaultFlags, cache: Cache = .automatic,
                cacheSizeLimit: Int? = nil) {
        let environment = ProcessInfo.processInfo.environment
        self.command = command ?? environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
        self.flags = flags
        self.cache = cache
        self.cacheSizeLimit = cacheSizeLimit
            ?? environment["DIFFGEN_CACHE_MAX_MB"].flatMap { Int($0) }.map { $0 << 20 } ?? (256 << 20)
    }

    /// The cache directory in use, or nil when caching is off.
    public var cacheDirectory: String? {
        switch cache {
        case .directory(let path): return path
        case .disabled: return nil
        case .automatic: return SystemCompiler.defaultCacheDirectory(ProcessInfo.processInfo.environment)
        }
    }

    static func defaultCacheDirectory(_ environment: [String: String]) -> String? {
        if let setting = environment["DIFFGEN_CACHE"], ["off", "0", "no", "false"].contains(setting.lowercased()) { return nil }
        if let explicit = environment["DIFFGEN_CACHE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/diffgen" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/diffgen" }
        return nil
    }

    /// The shared library built from `source`, loaded: from the cache when it holds a verified
    /// build of this exact source with this compiler, version and flags, else compiled now (and
    /// cached).
    /// - Throws: `JITError` with the compiler's message when it fails or cannot run, or saying
    ///   why the cache directory is refused.
    public func load(_ source: String) throws -> (library: SharedLibrary, cached: Bool) {
        guard let directory = cacheDirectory else {
            let build = try BuildDirectory(in: NSTemporaryDirectory())
            defer { build.remove() }
            return (try VerifiedFile.load(try compile(source, in: build), digest: nil), false)
        }
        let store = LibraryCache(directory: directory, sizeLimit: cacheSizeLimit)
        try store.validate()
        let key = try cacheKey(for: source)
        if let library = store.load(key: key) { return (library, true) }
        let build = try BuildDirectory(in: directory)
        defer { build.remove() }
        return (try store.store(key: key, built: try compile(source, in: build)), false)
    }

    /// Compiles `source` into a library in `build`; returns its path.
    private func compile(_ source: String, in build: BuildDirectory) throws -> String {
        let sourcePath = build.path + "/source.c", libraryPath = build.path + "/library.so"
        do { try AtomicFile.write(Array(source.utf8), to: sourcePath, mode: 0o600) } catch let failure as AtomicFile.Failure {
            throw JITError(message: "cannot write \(failure.path): \(failure.reason)", line: nil, sourceLine: nil)
        }
        let run = try SystemCompiler.run([command] + flags + ["-o", libraryPath, sourcePath, "-lm"], errors: true)
        guard run.status == 0 else {
            throw JITError(message: "\(command) failed (status \(run.status)): \(run.text)", line: nil, sourceLine: nil)
        }
        return libraryPath
    }

    /// The cache key of `source` built by this compiler (its `--version` text) with these flags;
    /// host-tuned builds also name the CPU, since code tuned for one CPU can fault on another
    /// that shares the cache directory.
    func cacheKey(for source: String, host: String = SystemCompiler.hostCPU) throws -> String {
        let tuned = flags.contains { $0.hasSuffix("=native") }
        return SHA256.hex([command, try SystemCompiler.version(of: command)] + flags + (tuned ? [host] : []) + [source])
    }

    private static let versions = Mutex<[String: String]>([:])

    /// What `command --version` prints, asked once per process.
    static func version(of command: String) throws -> String {
        if let known = versions.withLock({ $0[command] }) { return known }
        let run = try SystemCompiler.run([command, "--version"], errors: false)
        guard run.status == 0 else {
            throw JITError(message: "\(command) --version failed (status \(run.status))", line: nil, sourceLine: nil)
        }
        let text = run.text
        versions.withLock { $0[command] = text }
        return text
    }

    /// Runs `arguments` (the first looked up on PATH) to the end; its status and the text it
    /// wrote to standard error (`errors: true`) or standard output (the other goes nowhere).
    private static func run(_ arguments: [String], errors: Bool) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = errors ? FileHandle.nullDevice : pipe
        process.standardError = errors ? pipe : FileHandle.nullDevice
        do { try process.run() } catch {
            throw JITError(message: "cannot run \(arguments[0]): \(error)", line: nil, sourceLine: nil)
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// What names this CPU's instruction set: the first processor's block of `/proc/cpuinfo`
    /// (model and feature flags) where it exists, else the machine name from `uname`.
    static let hostCPU: String = {
        if let handle = FileHandle(forReadingAtPath: "/proc/cpuinfo"),
           let block = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).components(separatedBy: "\n\n").first,
           !block.isEmpty {
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
}

/// A private (0700) directory for one build, made with a unique name by `mkdtemp`.
struct BuildDirectory {
    let path: String

    init(in parent: String) throws {
        var template = Array((parent.hasSuffix("/") ? parent : parent + "/").utf8CString.dropLast()) + Array("build-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw JITError(message: "cannot create a build directory in \(parent): \(String(cString: strerror(errno)))", line: nil, sourceLine: nil)
        }
        path = String(cString: made)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

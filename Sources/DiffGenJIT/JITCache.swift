import Foundation

/// Modules compiled from identical C source are shared while any callable still uses them.
///
/// Keyed on the whole source text (no hash collisions to reason about); entries hold their
/// module weakly, so a module nobody uses is freed as usual and its entry dropped on the next
/// lookup. Thread-safe.
public enum JITCache {
    private final class WeakModule {
        weak var module: JITModule?
        init(_ module: JITModule) { self.module = module }
    }

    nonisolated(unsafe) private static var entries: [String: WeakModule] = [:]
    private static let lock = NSLock()

    /// The live module compiled from `source`, or a new one (compiled outside the lock; see
    /// `JITModule.init` for `libraryFunctions`).
    public static func module(source: String, symbols: [String], libraryFunctions: [String]) throws -> JITModule {
        lock.lock()
        let cached = entries[source]?.module
        lock.unlock()
        if let cached, symbols.allSatisfy({ cached.address(of: $0) != nil }) { return cached }
        let module = try JITModule(source: source, symbols: symbols, libraryFunctions: libraryFunctions)
        lock.lock()
        defer { lock.unlock() }
        if entries.count > 64 { entries = entries.filter { $0.value.module != nil } }
        entries[source] = WeakModule(module)
        return module
    }

    /// Number of live cached modules (for tests and diagnostics).
    public static var liveCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.values.filter { $0.module != nil }.count
    }
}

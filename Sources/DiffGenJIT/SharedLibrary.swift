#if canImport(Glibc)
import Glibc
#endif

/// A shared library loaded with `dlopen`, unloaded when released.
public final class SharedLibrary: @unchecked Sendable {
    // @unchecked: the handle never changes after init; dlsym is thread-safe.
    private let handle: UnsafeMutableRawPointer
    public let path: String

    /// Loads `path` with every symbol resolved now, kept local to this library.
    /// - Throws: `JITError` with dlopen's message.
    public init(path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw JITError(message: "cannot load \(path): \(String(cString: dlerror()))", line: nil, sourceLine: nil)
        }
        self.handle = handle
        self.path = path
    }

    deinit { dlclose(handle) }

    /// The address of an exported symbol, or nil.
    public func address(of symbol: String) -> UnsafeRawPointer? {
        dlsym(handle, symbol).map { UnsafeRawPointer($0) }
    }
}

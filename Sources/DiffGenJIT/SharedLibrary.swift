#if canImport(Glibc)
import Glibc
#endif

/// A shared library loaded with `dlopen`, unloaded when released.
public final class SharedLibrary: @unchecked Sendable {
    // @unchecked: the handle never changes after init; dlsym is thread-safe.
    private let handle: UnsafeMutableRawPointer
    public let path: String
    /// The descriptor a library was loaded through (`/proc/self/fd/N`), kept open while it is
    /// loaded: the dynamic loader knows libraries by name, and a closed descriptor's number,
    /// reused for another file, would name this library again.
    private let descriptor: Int32

    /// Loads `path` with every symbol resolved now, kept local to this library.
    /// - Throws: `JITError` with dlopen's message.
    public init(path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw JITError(message: "cannot load \(path): \(String(cString: dlerror()))", line: nil, sourceLine: nil)
        }
        self.handle = handle
        self.path = path
        descriptor = -1
    }

    /// Loads the file open as `descriptor` (through `/proc/self/fd`), taking ownership of the
    /// descriptor; `path` names it in messages.
    init(descriptor: Int32, path: String) throws {
        guard let handle = dlopen("/proc/self/fd/\(descriptor)", RTLD_NOW | RTLD_LOCAL) else {
            close(descriptor)
            throw JITError(message: "cannot load \(path): \(String(cString: dlerror()))", line: nil, sourceLine: nil)
        }
        self.handle = handle
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        dlclose(handle)
        if descriptor >= 0 { close(descriptor) }
    }

    /// The address of an exported symbol, or nil.
    public func address(of symbol: String) -> UnsafeRawPointer? {
        dlsym(handle, symbol).map { UnsafeRawPointer($0) }
    }
}

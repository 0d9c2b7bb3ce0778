#if canImport(Glibc)
import Glibc
#endif

/// Files that appear whole or not at all: each is written under a unique temporary name
/// (`mkstemp`) in its own directory, flushed to disk, given its permissions, and renamed into
/// place. Concurrent writers never share a temporary file, and a failure leaves the previous
/// file as it was and no temporary behind.
package enum AtomicFile {
    /// Why a file could not be written.
    package struct Failure: Error {
        package let path: String
        package let reason: String
    }

    /// A file written to its temporary name and not yet in place.
    package struct Staged {
        package let path: String
        let temporary: String

        /// Renames the file into place.
        package func commit() throws {
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw Failure(path: path, reason: reason)
            }
        }

        /// Removes the temporary file.
        package func discard() { unlink(temporary) }
    }

    /// Writes `bytes` under a unique temporary name beside `path`, with permissions `mode`.
    package static func stage(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t) throws -> Staged {
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(cString: template)
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n <= 0 { break }
            written += n
        }
        let complete = written == bytes.count && fchmod(fd, mode) == 0 && fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        guard complete else {
            unlink(temporary)
            throw Failure(path: path, reason: written < bytes.count ? "short write: \(reason)" : reason)
        }
        return Staged(path: path, temporary: temporary)
    }

    /// Writes `bytes` to `path` atomically.
    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        try bytes.withUnsafeBytes { try stage($0, to: path, mode: mode) }.commit()
    }

    /// Permissions for ordinary output files: `mode` less this process's umask.
    package static func respectingUmask(_ mode: mode_t) -> mode_t {
        let mask = umask(0)
        umask(mask)
        return mode & ~mask
    }
}

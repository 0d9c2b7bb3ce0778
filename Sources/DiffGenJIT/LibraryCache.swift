import DiffGenCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The on-disk cache of optimized builds, trusted only as far as it checks.
///
/// - The directory is created 0700 and refused when it is a symbolic link, not owned by this
///   user, or writable by group or others.
/// - `KEY.entry` holds the SHA-256 of the object built for a key (a hash of the C source, the
///   compiler, its version, its flags and, for host-tuned builds, the CPU); the object is
///   `obj-DIGEST.so`. An object is opened without following symbolic links, must be a regular
///   file of this user that nobody else may write, and its bytes must hash to the digest before
///   the very file descriptor that was hashed is loaded (`/proc/self/fd`). Anything else is a
///   miss: the entry is removed and rebuilt.
/// - Files appear by atomic rename only, from a private build directory: processes racing on one
///   key each store a complete object under its own digest and the last entry renamed wins.
/// - Least recently used entries (by the entry's time, touched on every hit) are evicted past
///   `sizeLimit` bytes of objects.
struct LibraryCache {
    let directory: String
    let sizeLimit: Int

    /// Creates the directory (0700) if it is missing and checks that it is this user's alone.
    /// - Throws: `JITError` saying why the directory is refused.
    func validate() throws {
        try? FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw JITError(message: "cannot create the cache directory \(directory): \(String(cString: strerror(errno)))",
                           line: nil, sourceLine: nil)
        }
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            throw JITError(message: "cannot read the cache directory \(directory): \(String(cString: strerror(errno)))", line: nil, sourceLine: nil)
        }
        let problem: String?
        if info.st_mode & S_IFMT == S_IFLNK {
            problem = "it is a symbolic link"
        } else if info.st_mode & S_IFMT != S_IFDIR {
            problem = "it is not a directory"
        } else if info.st_uid != geteuid() {
            problem = "it is owned by user \(info.st_uid), not by this user (\(geteuid()))"
        } else if info.st_mode & 0o022 != 0 {
            problem = "group or others may write to it (mode \(String(info.st_mode & 0o777, radix: 8)))"
        } else {
            problem = nil
        }
        if let problem {
            throw JITError(message: "refusing the cache directory \(directory): \(problem); use a private directory (chmod 700) or set DIFFGEN_CACHE_DIR",
                           line: nil, sourceLine: nil)
        }
    }

    private func entryPath(_ key: String) -> String { "\(directory)/\(key).entry" }
    private func objectPath(_ digest: String) -> String { "\(directory)/obj-\(digest).so" }

    /// The verified library stored for `key`, or nil (a missing, corrupt or tampered entry is
    /// removed so the caller rebuilds it).
    func load(key: String) -> SharedLibrary? {
        let entry = entryPath(key)
        let fd = open(entry, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let digest = ((try? VerifiedFile.read(fd, limit: 128)).map { String(decoding: $0, as: UTF8.self) } ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard digest.count == 64, digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
              let library = try? VerifiedFile.load(objectPath(digest), digest: digest) else {
            unlink(entry)
            return nil
        }
        futimens(fd, nil)  // most recently used
        return library
    }

    /// Moves the object built at `built` into the cache under `key`, evicts past the size bound,
    /// and loads it (verified like any hit).
    func store(key: String, built: String) throws -> SharedLibrary {
        let bytes = try VerifiedFile.contents(of: built)
        let digest = bytes.withUnsafeBytes { SHA256.hex($0) }
        let object = objectPath(digest)
        chmod(built, 0o600)
        guard rename(built, object) == 0 else {
            throw JITError(message: "cannot store \(object): \(String(cString: strerror(errno)))", line: nil, sourceLine: nil)
        }
        do { try AtomicFile.write(Array((digest + "\n").utf8), to: entryPath(key), mode: 0o600) } catch let failure as AtomicFile.Failure {
            throw JITError(message: "cannot write \(failure.path): \(failure.reason)", line: nil, sourceLine: nil)
        }
        evict(keeping: key)
        return try VerifiedFile.load(object, digest: digest)
    }

    /// Removes least recently used entries until the objects fit `sizeLimit`, objects no entry
    /// names (after a minute, so a racing writer can rename its entry), and build directories
    /// left by processes that died (after an hour).
    func evict(keeping kept: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let now = Date().timeIntervalSince1970
        var entries: [(key: String, digest: String, time: Double)] = []
        var objects: [String: (size: Int, time: Double)] = [:]
        for name in names {
            var info = stat()
            guard lstat("\(directory)/\(name)", &info) == 0 else { continue }
            let time = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) * 1e-9
            if name.hasSuffix(".entry") {
                let digest = (try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                entries.append((String(name.dropLast(6)), digest, time))
            } else if name.hasPrefix("obj-") && name.hasSuffix(".so") {
                objects[String(name.dropFirst(4).dropLast(3))] = (Int(info.st_size), time)
            } else if name.hasPrefix("build-") && now - time > 3600 {
                try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
            }
        }
        let named = Set(entries.map(\.digest))
        for (digest, object) in objects where !named.contains(digest) && now - object.time > 60 {
            unlink(objectPath(digest))
            objects[digest] = nil
        }
        var total = objects.values.reduce(0) { $0 + $1.size }
        var users: [String: Int] = [:]
        for entry in entries { users[entry.digest, default: 0] += 1 }
        for entry in entries.sorted(by: { ($0.time, $0.key) < ($1.time, $1.key) }) where total > sizeLimit && entry.key != kept {
            unlink(entryPath(entry.key))
            users[entry.digest, default: 1] -= 1
            if users[entry.digest] == 0, let object = objects[entry.digest] {
                unlink(objectPath(entry.digest))
                total -= object.size
            }
        }
    }
}

/// Reading and loading files without following links or trusting what others could write.
enum VerifiedFile {
    /// Loads the shared library at `path` after checking that it is a regular file of this user
    /// that nobody else may write and (when given) that its bytes hash to `digest`; the file
    /// descriptor that was hashed is the one loaded.
    static func load(_ path: String, digest: String?) throws -> SharedLibrary {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, String(cString: strerror(errno))) }
        var handedOver = false
        defer { if !handedOver { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw failure(path, "not a regular file") }
        guard info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else { throw failure(path, "owned by another user or writable by others") }
        let bytes = try read(fd, limit: 1 << 30)
        if let digest, bytes.withUnsafeBytes({ SHA256.hex($0) }) != digest {
            throw failure(path, "its contents do not match the recorded SHA-256")
        }
        guard FileManager.default.fileExists(atPath: "/proc/self/fd/\(fd)") else {
            // No /proc: by name, in a directory only this user may write.
            return try SharedLibrary(path: path)
        }
        handedOver = true
        return try SharedLibrary(descriptor: fd, path: path)
    }

    static func contents(of path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        return try read(fd, limit: 1 << 30)
    }

    /// Every byte from `fd`'s start, at most `limit`.
    static func read(_ fd: Int32, limit: Int) throws -> [UInt8] {
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(bytes.count)) }
            if n < 0 { throw failure("file descriptor \(fd)", String(cString: strerror(errno))) }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { throw failure("file descriptor \(fd)", "larger than \(limit) bytes") }
        }
    }

    private static func failure(_ path: String, _ reason: String) -> JITError {
        JITError(message: "not loading \(path): \(reason)", line: nil, sourceLine: nil)
    }
}


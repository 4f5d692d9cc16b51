import Foundation

/// A hold on the dataset's `_writers.lock` file (flock(2)): every writer holds it shared while it has files
/// on disk that no committed version names yet (`DatasetWriter` from creation to `close()`, `FragmentWriter`
/// from its first file to `finish()`, `Dataset.commit` while it writes deletion files and the manifest, merge-insert while it
/// runs); `Dataset.cleanup` takes it exclusively, without waiting, so it never runs while a writer is live.
/// The kernel drops a killed process's hold, so a crashed writer never blocks cleanup.
final class WriterLease {
    /// The lock file's name in the dataset root.
    static let fileName = "_writers.lock"
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// A shared hold, waiting while a cleanup holds the lock exclusively (a cleanup is short).
    /// - Throws: `EngineError.io` when the lock file cannot be opened or locked.
    static func shared(root: URL) throws -> WriterLease {
        let lease = WriterLease(fd: try open(root))
        try lease.lock(LOCK_SH, path: root)
        return lease
    }

    /// An exclusive hold, or nil when a writer holds the lock now.
    static func exclusiveIfIdle(root: URL) throws -> WriterLease? {
        let lease = WriterLease(fd: try open(root))
        while flock(lease.fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return nil }  // deinit closes the file
            throw EngineError.io(path: root.appendingPathComponent(fileName).path, operation: "flock", errno: errno)
        }
        return lease
    }

    /// Releases the hold (also done at deinit).
    func release() {
        if fd >= 0 { close(fd); fd = -1 }
    }

    deinit { release() }

    private static func open(_ root: URL) throws -> Int32 {
        let path = root.appendingPathComponent(fileName).path
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw EngineError.missingFile(path: root.path) }
            throw EngineError.io(path: path, operation: "open", errno: e)
        }
        return fd
    }

    private func lock(_ operation: Int32, path root: URL) throws {
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            throw EngineError.io(path: root.appendingPathComponent(Self.fileName).path, operation: "flock", errno: errno)
        }
    }
}

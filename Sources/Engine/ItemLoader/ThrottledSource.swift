import Foundation

/// A simulated download of one chunk file: a background thread copies the file, front to back, at
/// `bandwidthBytesPerSecond` into memory (a `ChunkBuffer` of the file's size) or into a local staging file,
/// publishing how many bytes have arrived so far. Readers can wait for a prefix of the file to arrive.
///
/// Bandwidth is per source (one connection); concurrent sources each get their own.
/// Bytes below `arrivedBytes` never change again, so a reader may use them while later bytes are still arriving.
public final class ThrottledSource: @unchecked Sendable {  // @unchecked: every mutable property is guarded by `condition`.
    /// Where the downloaded bytes go.
    public enum Destination: Sendable, Equatable {
        /// A heap buffer of the file's size (`buffer`).
        case memory
        /// A local file (created or truncated); read arrived ranges back with `copyBytes(_:into:)`.
        case stagingFile(URL)
    }

    /// The "remote" file.
    public let url: URL
    /// Size of the file in bytes.
    public let totalBytes: Int
    /// Download rate in bytes per second; 0 = as fast as the disk allows.
    public let bandwidthBytesPerSecond: Int
    /// Bytes copied per step (the granularity at which arrivals are published), default 64 KiB.
    public let stepBytes: Int
    /// Where the bytes go.
    public let destination: Destination
    /// The downloaded bytes, for the `.memory` destination (nil for a staging file).
    public let buffer: ChunkBuffer?

    private let sourceFD: Int32
    private let stagingFD: Int32
    private let condition = NSCondition()
    private var arrived = 0
    private var failure: ItemLoaderError?
    private var cancelled = false
    private var finished = false
    private var started = false
    private var pauseAt: Int?
    private var startNs: UInt64 = 0
    private var endNs: UInt64 = 0

    /// Opens `url` and prepares the destination; the download starts with `start()`.
    /// - Parameters:
    ///   - bandwidthBytesPerSecond: download rate in bytes per second (0 = unthrottled).
    ///   - destination: memory (default) or a staging file.
    ///   - stepBytes: bytes copied per step (default 64 KiB).
    ///   - pauseAtBytes: stop once this many bytes have arrived until `resume()` is called (nil = never); lets a
    ///     test observe a half-downloaded chunk deterministically.
    public init(url: URL, bandwidthBytesPerSecond: Int, destination: Destination = .memory,
                stepBytes: Int = 64 << 10, pauseAtBytes: Int? = nil) throws {
        precondition(bandwidthBytesPerSecond >= 0 && stepBytes > 0)
        self.url = url
        self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
        self.stepBytes = stepBytes
        self.destination = destination
        self.pauseAt = pauseAtBytes
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ItemLoaderError.io(path: path, operation: "open", errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw ItemLoaderError.io(path: path, operation: "fstat", errno: e)
        }
        sourceFD = fd
        totalBytes = Int(st.st_size)
        switch destination {
        case .memory:
            buffer = ChunkBuffer(count: totalBytes)
            stagingFD = -1
        case .stagingFile(let staging):
            buffer = nil
            let sfd = open(staging.path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
            guard sfd >= 0 else {
                let e = errno
                close(fd)
                throw ItemLoaderError.io(path: staging.path, operation: "open", errno: e)
            }
            stagingFD = sfd
        }
    }

    deinit {
        close(sourceFD)
        if stagingFD >= 0 { close(stagingFD) }
    }

    /// Starts the download on a background thread (once; later calls do nothing). The thread keeps the source alive
    /// until it ends.
    public func start() {
        condition.lock()
        if started { condition.unlock(); return }
        started = true
        startNs = EngineClock.monotonicNanoseconds()
        condition.unlock()
        let thread = Thread { [self] in self.run() }
        thread.name = "highwater.download"
        thread.start()
    }

    /// Bytes arrived so far (a prefix of the file).
    public var arrivedBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return arrived
    }

    /// Whether every byte has arrived.
    public var isComplete: Bool { arrivedBytes == totalBytes }

    /// Nanoseconds from `start()` to the last byte's arrival (nil while downloading).
    public var downloadNanoseconds: UInt64? {
        condition.lock()
        defer { condition.unlock() }
        return arrived == totalBytes && endNs >= startNs ? endNs - startNs : nil
    }

    /// Blocks until at least `bytes` bytes have arrived (clamped to the file size).
    /// - Returns: bytes arrived when it returned.
    /// - Throws: the download's error, or `.cancelled`.
    @discardableResult
    public func waitForBytes(_ bytes: Int) throws -> Int {
        let need = min(bytes, totalBytes)
        condition.lock()
        defer { condition.unlock() }
        while arrived < need {
            if let f = failure { throw f }
            if cancelled || finished { throw ItemLoaderError.cancelled(file: url.path) }
            condition.wait()
        }
        return arrived
    }

    /// Lets a download paused by `pauseAtBytes` continue.
    public func resume() {
        condition.lock()
        pauseAt = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the download; waiting readers get `.cancelled` unless their bytes already arrived.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the background thread has ended (complete, failed or cancelled). Returns at once if never started.
    public func waitUntilFinished() {
        condition.lock()
        defer { condition.unlock() }
        while started && !finished { condition.wait() }
    }

    /// Copies `range` of the file into `dst`, waiting for it to arrive first.
    public func copyBytes(_ range: Range<Int>, into dst: UnsafeMutableRawPointer) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= totalBytes)
        try waitForBytes(range.upperBound)
        if let b = buffer {
            dst.copyMemory(from: b.base + range.lowerBound, byteCount: range.count)
        } else {
            try ChunkFile.readFully(fd: stagingFD, path: url.path, into: dst, count: range.count, at: range.lowerBound)
        }
    }

    private func run() {
        let path = url.path
        let bw = Double(bandwidthBytesPerSecond)
        var scratch: ChunkBuffer? = buffer == nil ? ChunkBuffer(count: stepBytes) : nil
        var done = 0
        var paceBase = EngineClock.monotonicNanoseconds()
        var paceBytes = 0
        while done < totalBytes {
            condition.lock()
            var wasPaused = false
            while !cancelled, let p = pauseAt, done >= p {
                wasPaused = true
                condition.wait()
            }
            let stop = cancelled
            condition.unlock()
            if stop { break }
            if wasPaused {
                paceBase = EngineClock.monotonicNanoseconds()
                paceBytes = done
            }
            var step = min(stepBytes, totalBytes - done)
            condition.lock()
            if let p = pauseAt, p > done { step = min(step, p - done) }
            condition.unlock()
            if bw > 0 {
                // Sleep until the pace allows `step` more bytes.
                let dueNs = paceBase &+ UInt64(Double(done + step - paceBytes) / bw * 1e9)
                let now = EngineClock.monotonicNanoseconds()
                if dueNs > now {
                    let wait = dueNs - now
                    var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
                    var rest = timespec()
                    while nanosleep(&ts, &rest) != 0 && errno == EINTR { ts = rest }
                }
            }
            do {
                if let b = buffer {
                    try ChunkFile.readFully(fd: sourceFD, path: path, into: b.base + done, count: step, at: done)
                } else {
                    try ChunkFile.readFully(fd: sourceFD, path: path, into: scratch!.base, count: step, at: done)
                    try ChunkFile.writeFully(fd: stagingFD, path: path, from: scratch!.base, count: step, at: done)
                }
            } catch let e as ItemLoaderError {
                condition.lock()
                failure = e
                condition.unlock()
                break
            } catch {
                break
            }
            done += step
            condition.lock()
            arrived = done
            if done == totalBytes { endNs = EngineClock.monotonicNanoseconds() }
            condition.broadcast()
            condition.unlock()
        }
        scratch = nil
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

import Foundation
import RunContract

/// Turns what a child sends into timestamped events: workload children write `EventLine`s on the events descriptor;
/// external commands write `phase NAME` / `metric NAME=VALUE` lines there (`HIGHWATER_EVENTS_FD`), or
/// `highwater: phase NAME` / `highwater: metric NAME=VALUE` on stdout. Lines are bounded
/// (`Limits.maxProtocolLineBytes`); protocol lines that do not parse are counted and the first few kept, so they
/// can be reported instead of vanishing.
struct ProtocolReader {
    enum Mode { case workload, command }

    /// Splits a byte stream into lines with `memchr`, holding at most `Limits.maxProtocolLineBytes` of an unfinished
    /// line. With a `prefix`, only lines that start with it become strings; the rest are skipped without copying.
    struct LineSplitter {
        let prefix: [UInt8]?
        private var pending: [UInt8] = []
        private var overlong = false

        init(prefix: String?) { self.prefix = prefix.map { Array($0.utf8) } }

        /// Calls `line` for each complete line (`nil` for a line that was too long).
        mutating func feed(_ bytes: UnsafeRawBufferPointer, _ line: (Substring?) -> Void) {
            guard let base = bytes.baseAddress else { return }
            var start = 0
            while start < bytes.count {
                let rest = bytes.count - start
                guard let nl = memchr(base + start, 10, rest) else {
                    append(UnsafeRawBufferPointer(start: base + start, count: rest))
                    return
                }
                let end = base.distance(to: UnsafeRawPointer(nl))
                append(UnsafeRawBufferPointer(start: base + start, count: end - start))
                emit(line)
                start = end + 1
            }
        }

        /// The unfinished last line, if any (at end of stream).
        mutating func finish(_ line: (Substring?) -> Void) {
            if overlong || !pending.isEmpty { emit(line) }
        }

        private mutating func append(_ piece: UnsafeRawBufferPointer) {
            guard !overlong, piece.count > 0 else { return }
            if let prefix, pending.count < prefix.count {
                // Still deciding whether this line is a protocol line: compare what is there of the prefix.
                let n = min(prefix.count - pending.count, piece.count)
                for i in 0..<n where piece[i] != prefix[pending.count + i] { overlong = false; pending.removeAll(); skipLine = true }
            }
            if skipLine { return }
            if pending.count + piece.count > Limits.maxProtocolLineBytes { overlong = true; pending.removeAll(); return }
            pending.append(contentsOf: piece)
        }

        /// Set for a line known not to be a protocol line (with a prefix): skipped to its end.
        private var skipLine = false

        private mutating func emit(_ line: (Substring?) -> Void) {
            if overlong { line(nil) } else if !skipLine { line(Substring(String(decoding: pending, as: UTF8.self))) }
            pending.removeAll(keepingCapacity: true)
            overlong = false
            skipLine = false
        }
    }

    let mode: Mode
    private(set) var events: [(event: EventLine, arrivalNs: UInt64)] = []
    /// Protocol lines that did not parse (or were over the length limit).
    private(set) var malformed = 0
    /// The first few of them, quoted in the run's log.
    private(set) var malformedSamples: [String] = []
    private var descriptorLines = LineSplitter(prefix: nil)
    private var stdoutLines = LineSplitter(prefix: "highwater: ")

    init(mode: Mode) { self.mode = mode }

    /// Bytes from the events descriptor; true when an event arrived.
    mutating func descriptor(_ bytes: UnsafeRawBufferPointer, now: UInt64) -> Bool {
        let before = events.count
        var splitter = descriptorLines
        splitter.feed(bytes) { handle($0, now: now, onStdout: false) }
        descriptorLines = splitter
        return events.count > before
    }

    /// Bytes of the command's stdout; only lines starting `highwater: ` are protocol lines.
    mutating func stdout(_ bytes: UnsafeRawBufferPointer, now: UInt64) -> Bool {
        let before = events.count
        var splitter = stdoutLines
        splitter.feed(bytes) { handle($0, now: now, onStdout: true) }
        stdoutLines = splitter
        return events.count > before
    }

    /// End of both streams: the unfinished last lines count too.
    mutating func finish(now: UInt64) {
        var d = descriptorLines, s = stdoutLines
        d.finish { handle($0, now: now, onStdout: false) }
        s.finish { handle($0, now: now, onStdout: true) }
        descriptorLines = d
        stdoutLines = s
    }

    private mutating func handle(_ line: Substring?, now: UInt64, onStdout: Bool) {
        guard let line else {
            reject("a line over \(Limits.maxProtocolLineBytes) bytes")
            return
        }
        if onStdout && !line.hasPrefix("highwater: ") { return }
        if line.isEmpty { return }
        let event: EventLine?
        switch mode {
        case .workload: event = EventLine.parseChild(line)
        case .command: event = EventLine.parseCommand(line.hasPrefix("highwater: ") ? line : "highwater: " + line, nowNs: now)
        }
        if let event { events.append((event, now)) } else { reject(String(line.prefix(200))) }
    }

    private mutating func reject(_ text: String) {
        malformed += 1
        if malformedSamples.count < 5 { malformedSamples.append(text) }
    }
}

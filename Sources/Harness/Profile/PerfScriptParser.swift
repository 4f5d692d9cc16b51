import Foundation

/// Reads `perf script -F comm,tid,time,ip,sym,dso` output: a header line per sample (`comm tid seconds:`, the command
/// name may hold spaces) followed by one indented line per frame, leaf first (`addr symbol (dso)`), and a blank line.
/// Each sample becomes a stack, root first, under its process name, with its time for the phase table.
struct PerfScriptParser {
    /// One sample's stack (root first: process name, then outermost caller ... leaf) and its time, ns on the
    /// clock `perf record -k CLOCK_MONOTONIC` used.
    struct Sample {
        var stack: [String]
        var timeNs: UInt64
    }

    /// Parses the whole text; throws when a header line cannot be read.
    static func parse(_ text: String) throws -> [Sample] {
        var samples: [Sample] = []
        var header: (comm: String, timeNs: UInt64)?
        var frames: [String] = []
        var lineNumber = 0
        func flush() {
            if let h = header { samples.append(Sample(stack: [h.comm] + frames.reversed(), timeNs: h.timeNs)) }
            header = nil
            frames.removeAll(keepingCapacity: true)
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if raw.allSatisfy({ $0 == " " || $0 == "\t" }) { flush(); continue }
            if raw.first == " " || raw.first == "\t" {
                if header != nil, let f = frame(raw) { frames.append(f) }
                continue
            }
            flush()
            guard let h = parseHeader(raw) else {
                throw ProfileError(source: "perf script", reason: "line \(lineNumber): not a sample header: '\(raw.prefix(120))'")
            }
            header = h
        }
        flush()
        return samples
    }

    /// `comm tid 1234.567890:` → ("comm", ns). perf may add the event name after the colon; it is ignored.
    static func parseHeader(_ line: Substring) -> (comm: String, timeNs: UInt64)? {
        let tokens = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let ti = tokens.lastIndex(where: { $0.hasSuffix(":") && Double($0.dropLast()) != nil }), ti >= 2,
              let seconds = Double(tokens[ti].dropLast()) else { return nil }
        let comm = tokens[0..<(ti - 1)].joined(separator: " ")
        return (comm.isEmpty ? "?" : comm, UInt64(max(0, seconds * 1e9)))
    }

    /// `    11ce spin+0x4d (/tmp/cpu)` → `spin`; an unresolved symbol becomes `[dso name]`.
    static func frame(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        var rest = trimmed[trimmed.index(after: space)...]
        var dso = ""
        if rest.hasSuffix(")"), let open = rest.range(of: " (", options: .backwards) {
            dso = String(rest[open.upperBound..<rest.index(before: rest.endIndex)])
            rest = rest[..<open.lowerBound]
        }
        var symbol = String(rest)
        if let plus = symbol.range(of: "+0x", options: .backwards) { symbol = String(symbol[..<plus.lowerBound]) }
        if symbol.isEmpty || symbol == "[unknown]" {
            return "[\(dso.isEmpty ? "unknown" : URL(fileURLWithPath: dso).lastPathComponent)]"
        }
        return FoldedStacks.clean(symbol)
    }
}

import Foundation
import RunContract

/// Swift symbol names made readable with the toolchain's `swift-demangle --compact --simplified` (the same demangler
/// as `swift demangle`), run once per batch of distinct names. Names that are not Swift-mangled pass through; when the
/// tool is absent, names stay mangled (still correct, only harder to read).
public struct Demangler: Sendable {
    /// Path of swift-demangle, or nil when neither it nor `swift` is on PATH.
    public let toolPath: String?

    public init() {
        if let p = Subprocess.which("swift-demangle") {
            toolPath = p
        } else if let swift = Subprocess.which("swift") {
            let sibling = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("swift-demangle").path
            toolPath = access(sibling, X_OK) == 0 ? sibling : nil
        } else {
            toolPath = nil
        }
    }

    /// Whether `symbol` looks like a mangled Swift name (`$s…`, `_$s…`, `$S…`, `_T0…`).
    static func isMangled(_ symbol: Substring) -> Bool {
        symbol.hasPrefix("$s") || symbol.hasPrefix("_$s") || symbol.hasPrefix("$S") || symbol.hasPrefix("_$S")
            || symbol.hasPrefix("_T0") || symbol.hasPrefix("$e") || symbol.hasPrefix("_$e")
    }

    /// The symbol part of a frame and the rest: `sym (file.swift)` → (`sym`, ` (file.swift)`); `sym+0x1f` keeps
    /// only `sym`.
    static func split(_ frame: String) -> (symbol: Substring, rest: Substring) {
        let end = frame.firstIndex(of: " ") ?? frame.endIndex
        return (frame[..<end], frame[end...])
    }

    /// A renaming table for `frames`: each frame whose symbol is Swift-mangled maps to its demangled form with the
    /// same suffix; `;` in a demangled name becomes `,` (the folded format's separator).
    public func table(for frames: Set<String>) -> [String: String] {
        var symbols = Set<String>()
        for f in frames {
            let s = Self.split(f).symbol
            if Self.isMangled(s) { symbols.insert(String(s)) }
        }
        guard let toolPath, !symbols.isEmpty else { return [:] }
        var demangled: [String: String] = [:]
        let list = symbols.sorted()
        var start = 0
        while start < list.count {
            let chunk = Array(list[start..<min(start + 200, list.count)])
            start += chunk.count
            guard let p = try? Subprocess(executable: toolPath, arguments: ["--compact", "--simplified"] + chunk, stderr: .discard),
                  let exit = try? p.wait(), exit.succeeded else { continue }
            let lines = exit.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count >= chunk.count else { continue }
            for (i, name) in chunk.enumerated() where !lines[i].isEmpty {
                demangled[name] = FoldedStacks.clean(String(lines[i]))
            }
        }
        var out: [String: String] = [:]
        for f in frames {
            let (s, rest) = Self.split(f)
            if let d = demangled[String(s)] { out[f] = d + rest }
        }
        return out
    }

    /// `stacks` with every Swift frame demangled.
    public func demangle(_ stacks: FoldedStacks) -> FoldedStacks {
        let frames = Set(stacks.costs.keys.flatMap { $0 })
        let table = table(for: frames)
        return table.isEmpty ? stacks : stacks.renamed { table[$0] ?? $0 }
    }
}

import Foundation
import RunContract

/// The allocator a run uses, chosen per child process with `LD_PRELOAD`.
public enum Allocator: String, CaseIterable, Sendable, Codable {
    /// glibc malloc (nothing preloaded).
    case system
    /// Debian's libjemalloc2.
    case jemalloc
    /// Debian's libmimalloc2.0.
    case mimalloc

    /// Candidate paths of the shared library to preload, in search order.
    var candidatePaths: [String] {
        let dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]
        switch self {
        case .system: return []
        case .jemalloc: return dirs.flatMap { ["\($0)/libjemalloc.so.2", "\($0)/libjemalloc.so"] }
        case .mimalloc: return dirs.flatMap { ["\($0)/libmimalloc.so.2", "\($0)/libmimalloc.so"] }
        }
    }

    /// The library to preload: nil for `system`; throws when it is not installed.
    public func libraryPath() throws -> String? {
        if self == .system { return nil }
        if let env = ProcessInfo.processInfo.environment["HIGHWATER_\(rawValue.uppercased())_LIB"], !env.isEmpty {
            guard FileManager.default.isReadableFile(atPath: env) else {
                throw HarnessError(source: "HIGHWATER_\(rawValue.uppercased())_LIB", value: env, reason: "no such library")
            }
            return env
        }
        for p in candidatePaths where FileManager.default.isReadableFile(atPath: p) { return p }
        throw HarnessError(source: "--allocator", value: rawValue,
                           reason: "library not found (looked for \(candidatePaths.prefix(2).joined(separator: ", ")); install lib\(rawValue == "jemalloc" ? "jemalloc2" : "mimalloc2.0") or run scripts/install-deps.sh)")
    }

    /// The Debian package that provides the library (for versions in run.json).
    var debianPackage: String {
        switch self {
        case .system: return "libc6"
        case .jemalloc: return "libjemalloc2"
        case .mimalloc: return "libmimalloc2.0"
        }
    }

    /// Parses `system`, `jemalloc`, `mimalloc` (also `glibc` for `system`).
    public static func parse(_ text: String, source: String) throws -> Allocator {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "glibc" { return .system }
        guard let a = Allocator(rawValue: t) else {
            throw HarnessError(source: source, value: text, reason: "unknown allocator (known: system, jemalloc, mimalloc)")
        }
        return a
    }
}

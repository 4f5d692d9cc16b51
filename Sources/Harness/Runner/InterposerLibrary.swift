import Foundation
import RunContract

/// Where ordo-one/malloc-interposer's `libMallocInterposerSwift.so` is (built by `make` as a product of this package).
public enum InterposerLibrary {
    /// `HIGHWATER_INTERPOSER_LIB`, else next to the running binary, else `.build/{release,debug}/`.
    public static func path() throws -> String {
        let env = ProcessInfo.processInfo.environment["HIGHWATER_INTERPOSER_LIB"] ?? ""
        var candidates: [String] = env.isEmpty ? [] : [env]
        let exeDir = URL(fileURLWithPath: HarnessPaths.executable).deletingLastPathComponent().path
        candidates += ["\(exeDir)/libMallocInterposerSwift.so", ".build/release/libMallocInterposerSwift.so", ".build/debug/libMallocInterposerSwift.so"]
        for c in candidates where FileManager.default.isReadableFile(atPath: c) {
            return URL(fileURLWithPath: c).standardizedFileURL.path
        }
        throw HarnessError(source: "--alloc-counts", value: candidates.first ?? "",
                           reason: "libMallocInterposerSwift.so not found (build it: swift build --product MallocInterposerSwift, or set HIGHWATER_INTERPOSER_LIB)")
    }
}


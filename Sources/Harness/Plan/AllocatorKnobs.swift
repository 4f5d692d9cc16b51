import Foundation
import RunContract

/// Environment variables that may be swept like parameters (allocator knobs).
public enum AllocatorKnobs {
    /// Names accepted by `--env` and `[suite.env]`: `MALLOC_ARENA_MAX`, `MALLOC_TRIM_THRESHOLD_`, `MALLOC_MMAP_THRESHOLD_`,
    /// `MALLOC_TOP_PAD_`, `GLIBC_TUNABLES`, `MALLOC_CONF`, `MIMALLOC_*`.
    public static func isAllowed(_ name: String) -> Bool {
        let exact: Set<String> = ["MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_",
                                  "MALLOC_MMAP_MAX_", "GLIBC_TUNABLES", "MALLOC_CONF", "_RJEM_MALLOC_CONF"]
        return exact.contains(name) || name.hasPrefix("MIMALLOC_")
    }
}

#ifndef HIGHWATER_CALLOCSTATS_H
#define HIGHWATER_CALLOCSTATS_H
#include <stdint.h>

/// The allocator's own view of the heap, in bytes. Fields it cannot report are -1.
typedef struct {
    /// Which allocator answered: 0 glibc (mallinfo2), 1 jemalloc (mallctl stats.*), 2 mimalloc (mi_process_info).
    int32_t allocator;
    /// Bytes in live allocations (jemalloc stats.allocated, glibc uordblks+hblkhd, mimalloc: -1).
    int64_t allocated;
    /// Bytes in active pages (jemalloc stats.active), else -1.
    int64_t active;
    /// Bytes resident according to the allocator (jemalloc stats.resident, mimalloc current_rss, glibc arena+hblkhd).
    int64_t resident;
    /// Bytes retained but unmapped-able (jemalloc stats.retained), else -1.
    int64_t retained;
    /// Peak resident according to the allocator (mimalloc peak_rss), else -1.
    int64_t peak_resident;
    /// Committed bytes (mimalloc current_commit), else -1.
    int64_t committed;
} hw_alloc_stats;

/// Fills `out` from whichever allocator is loaded in this process (jemalloc or mimalloc
/// when LD_PRELOADed, glibc otherwise). Refreshes jemalloc's `epoch` first.
void hw_alloc_stats_read(hw_alloc_stats *out);

/// Asks the allocator to return free memory to the OS (malloc_trim / jemalloc arena purge / mi_collect).
void hw_alloc_release_free_memory(void);

/// Allocation counting through ordo-one/malloc-interposer when its library is LD_PRELOADed
/// (`libMallocInterposerSwift.so`); the entry points are resolved with dlsym so nothing links it.
/// Returns 1 when the interposer is loaded, 0 otherwise.
int hw_alloc_counts_available(void);

/// Resets the interposer's counters and enables counting. No-op without the interposer.
void hw_alloc_counts_start(void);

/// Disables counting and reads allocation calls and requested bytes since `hw_alloc_counts_start`.
/// Returns 1 on success, 0 when the interposer is not loaded (outputs untouched).
int hw_alloc_counts_stop(int64_t *count, int64_t *bytes);

#endif

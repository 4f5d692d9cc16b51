#define _GNU_SOURCE
#include "CAllocStats.h"
#include <dlfcn.h>
#include <malloc.h>
#include <stddef.h>
#include <string.h>
#include <stdbool.h>

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
typedef void (*mi_process_info_fn)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *);
typedef void (*mi_collect_fn)(bool);

static int64_t jemalloc_stat(mallctl_fn ctl, const char *name) {
    size_t value = 0, len = sizeof(value);
    if (ctl(name, &value, &len, NULL, 0) != 0) return -1;
    return (int64_t)value;
}

void hw_alloc_stats_read(hw_alloc_stats *out) {
    out->allocator = 0;
    out->allocated = out->active = out->resident = out->retained = out->peak_resident = out->committed = -1;

    mallctl_fn ctl = (mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
    if (ctl) {
        uint64_t epoch = 1;
        size_t len = sizeof(epoch);
        ctl("epoch", &epoch, &len, &epoch, len);
        out->allocator = 1;
        out->allocated = jemalloc_stat(ctl, "stats.allocated");
        out->active = jemalloc_stat(ctl, "stats.active");
        out->resident = jemalloc_stat(ctl, "stats.resident");
        out->retained = jemalloc_stat(ctl, "stats.retained");
        return;
    }
    mi_process_info_fn info = (mi_process_info_fn)dlsym(RTLD_DEFAULT, "mi_process_info");
    if (info) {
        size_t elapsed = 0, utime = 0, stime = 0, rss = 0, peak_rss = 0, commit = 0, peak_commit = 0, faults = 0;
        info(&elapsed, &utime, &stime, &rss, &peak_rss, &commit, &peak_commit, &faults);
        out->allocator = 2;
        out->resident = (int64_t)rss;
        out->peak_resident = (int64_t)peak_rss;
        out->committed = (int64_t)commit;
        return;
    }
    struct mallinfo2 mi = mallinfo2();
    out->allocated = (int64_t)(mi.uordblks + mi.hblkhd);
    out->resident = (int64_t)(mi.arena + mi.hblkhd);
}

void hw_alloc_release_free_memory(void) {
    mallctl_fn ctl = (mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
    if (ctl) {
        ctl("arena.4096.purge", NULL, NULL, NULL, 0);  /* MALLCTL_ARENAS_ALL */
        return;
    }
    mi_collect_fn collect = (mi_collect_fn)dlsym(RTLD_DEFAULT, "mi_collect");
    if (collect) { collect(true); return; }
    malloc_trim(0);
}

typedef void (*mi_void_fn)(void);
typedef void (*mi_stats_fn)(int64_t *, int64_t *, int64_t *, int64_t *, int64_t *, int64_t *);

int hw_alloc_counts_available(void) {
    return dlsym(RTLD_DEFAULT, "malloc_interposer_get_stats") != NULL;
}

void hw_alloc_counts_start(void) {
    mi_void_fn reset = (mi_void_fn)dlsym(RTLD_DEFAULT, "malloc_interposer_reset");
    mi_void_fn enable = (mi_void_fn)dlsym(RTLD_DEFAULT, "malloc_interposer_enable");
    if (!reset || !enable) return;
    reset();
    enable();
}

int hw_alloc_counts_stop(int64_t *count, int64_t *bytes) {
    mi_void_fn disable = (mi_void_fn)dlsym(RTLD_DEFAULT, "malloc_interposer_disable");
    mi_stats_fn stats = (mi_stats_fn)dlsym(RTLD_DEFAULT, "malloc_interposer_get_stats");
    if (!disable || !stats) return 0;
    disable();
    int64_t mallocs = 0, mbytes = 0, small = 0, large = 0, frees = 0, fbytes = 0;
    stats(&mallocs, &mbytes, &small, &large, &frees, &fbytes);
    *count = mallocs;
    *bytes = mbytes;
    return 1;
}

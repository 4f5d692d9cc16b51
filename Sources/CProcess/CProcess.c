#define _GNU_SOURCE
#include "CProcess.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <poll.h>
#include <time.h>
#include <signal.h>

int hw_pidfd_open(int pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    return -1;
#endif
}

int hw_ppoll(void *fds, int nfds, int64_t timeout_ns) {
    if (timeout_ns < 0) timeout_ns = 0;
    struct timespec ts = { .tv_sec = (time_t)(timeout_ns / 1000000000), .tv_nsec = (long)(timeout_ns % 1000000000) };
    return ppoll((struct pollfd *)fds, (nfds_t)nfds, &ts, NULL);
}

static volatile sig_atomic_t current_spawner_group = 0;
static volatile sig_atomic_t current_child_group = 0;

void hw_set_current_child_groups(int spawner_pgid, int child_pgid) {
    current_spawner_group = spawner_pgid;
    current_child_group = child_pgid;
}

static volatile sig_atomic_t interrupted_by = 0;

int hw_interrupted_signal(void) { return interrupted_by; }

static void hw_interrupt(int sig) {
    int child = current_child_group, spawner = current_spawner_group;
    if (child > 0) kill(-child, SIGKILL);
    if (spawner > 0) kill(-spawner, SIGKILL);
    if (interrupted_by == 0) {
        /* First signal: the sweep stops after this run and writes what it has (summary.csv, run.json). */
        interrupted_by = sig;
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void hw_install_interrupt_handler(void) {
    /* A closed stdout (`highwater run ... | head`) must not end the sweep: writes to it fail with EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    /* Over RLIMIT_FSIZE a write must fail with EFBIG (a one-line error naming the file), not kill the harness. */
    signal(SIGXFSZ, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = hw_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* ---- Process tree readers for the sampler: fixed buffers on the stack, no allocation. ---- */

/* Reads a small /proc file into buf (NUL-terminated); returns the length or -1. */
static int hw_read_small(const char *path, char *buf, int cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int n = (int)read(fd, buf, (size_t)cap - 1);
    close(fd);
    if (n < 0) return -1;
    buf[n] = 0;
    return n;
}

int hw_proc_children(int pid, int *out, int max) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return 0;
    char dents[4096];
    int count = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, dfd, dents, sizeof dents);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            unsigned short reclen = *(unsigned short *)(dents + off + 16);
            const char *name = dents + off + 19;
            off += reclen;
            if (name[0] < '0' || name[0] > '9') continue;
            char cpath[96], list[4096];
            snprintf(cpath, sizeof cpath, "/proc/%d/task/%s/children", pid, name);
            int len = hw_read_small(cpath, list, sizeof list);
            for (int i = 0; i < len;) {
                while (i < len && (list[i] < '0' || list[i] > '9')) i++;
                if (i >= len) break;
                int v = 0;
                while (i < len && list[i] >= '0' && list[i] <= '9') v = v * 10 + (list[i++] - '0');
                if (count < max) out[count++] = v;
            }
        }
    }
    close(dfd);
    return count;
}

int64_t hw_proc_rss_bytes(int pid, int64_t page_size) {
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%d/statm", pid);
    int n = hw_read_small(path, buf, sizeof buf);
    if (n <= 0) return -1;
    int i = 0;
    while (i < n && buf[i] != ' ') i++;
    i++;
    int64_t pages = 0;
    while (i < n && buf[i] >= '0' && buf[i] <= '9') pages = pages * 10 + (buf[i++] - '0');
    return pages * page_size;
}

int64_t hw_proc_pss_bytes(int pid) {
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
    if (hw_read_small(path, buf, sizeof buf) <= 0) return 0;
    const char *p = strstr(buf, "\nPss:");
    if (!p) return 0;
    p += 5;
    while (*p == ' ') p++;
    int64_t kb = 0;
    while (*p >= '0' && *p <= '9') kb = kb * 10 + (*p++ - '0');
    return kb * 1024;
}

int64_t hw_read_decimal_fd(int fd) {
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    if (n <= 0 || buf[0] < '0' || buf[0] > '9') return -1;
    int64_t v = 0;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) v = v * 10 + (buf[i] - '0');
    return v;
}

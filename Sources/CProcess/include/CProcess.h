#ifndef HIGHWATER_CPROCESS_H
#define HIGHWATER_CPROCESS_H
#include <stdint.h>

/// pidfd_open(2): a descriptor that becomes readable when process `pid` exits (-1 with errno on failure).
int hw_pidfd_open(int pid);

/// ppoll(2) on `nfds` descriptors (struct pollfd array) with a timeout in nanoseconds. Returns as ppoll.
int hw_ppoll(void *fds, int nfds, int64_t timeout_ns);

/// The process groups of the run being monitored (the spawner's and the child's, equal without a spawner; 0 for
/// none); the interrupt handler kills both.
void hw_set_current_child_groups(int spawner_pgid, int child_pgid);

/// Installs SIGINT/SIGTERM/SIGHUP handlers that SIGKILL the current run's process groups (children run in their
/// own groups, so a terminal's Ctrl-C would not reach them) and record the signal: the sweep then stops after the
/// run and writes its summary. A second signal ends the process at once. Also ignores SIGPIPE.
void hw_install_interrupt_handler(void);

/// The signal that interrupted the sweep, or 0.
int hw_interrupted_signal(void);

/// Appends the pids of `pid`'s children (every thread's `/proc/PID/task/TID/children`) to `out` (at most `max`);
/// returns how many. Fixed buffers on the stack: nothing is allocated.
int hw_proc_children(int pid, int *out, int max);

/// Resident bytes of `pid` from `/proc/PID/statm`, or -1. Allocates nothing.
int64_t hw_proc_rss_bytes(int pid, int64_t page_size);

/// `Pss:` of `/proc/PID/smaps_rollup` in bytes, or 0. Allocates nothing.
int64_t hw_proc_pss_bytes(int pid);

/// The decimal integer at the start of the file open on `fd` (read from offset 0 with pread, e.g. a cgroup's
/// `memory.current`), or -1. Allocates nothing.
int64_t hw_read_decimal_fd(int fd);

#endif

#ifndef HIGHWATER_CPROCESS_H
#define HIGHWATER_CPROCESS_H
#include <stdint.h>

/// pidfd_open(2): a descriptor that becomes readable when process `pid` exits (-1 with errno on failure).
int hw_pidfd_open(int pid);

/// ppoll(2) on `nfds` descriptors (struct pollfd array) with a timeout in nanoseconds. Returns as ppoll.
int hw_ppoll(void *fds, int nfds, int64_t timeout_ns);

/// The process group of the child being monitored (0 for none); the interrupt handler kills it.
void hw_set_current_child_group(int pgid);

/// Installs SIGINT/SIGTERM/SIGHUP handlers that SIGKILL the current child's process group (children run in their
/// own group, so a terminal's Ctrl-C would not reach them) and then die of the same signal.
void hw_install_interrupt_handler(void);

#endif

#define _GNU_SOURCE
#include "CProcess.h"
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

static volatile sig_atomic_t current_child_group = 0;

void hw_set_current_child_group(int pgid) { current_child_group = pgid; }

static void hw_interrupt(int sig) {
    int pgid = current_child_group;
    if (pgid > 0) kill(-pgid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

void hw_install_interrupt_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = hw_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

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

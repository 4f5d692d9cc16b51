/*
 * highwater.h: Highwater's metric protocol for C and C++ programs (header only, no dependencies beyond POSIX).
 *
 * When Highwater runs a command it sets HIGHWATER_EVENTS_FD to a file descriptor number (3) and timestamps every
 * line that arrives on it:
 *
 *     phase NAME          a phase starts now; it lasts until the next phase line (or the end of the process)
 *     metric NAME=VALUE   a finite number; NAME is [A-Za-z_][A-Za-z0-9_]*
 *
 * Standard metric names fill Highwater's columns (rows, input_bytes and bytes_written in bytes, files, versions,
 * compression_ratio, first_write_ms / batch_p50_ms / batch_p99_ms in milliseconds); any other name becomes its
 * own column.
 *
 * Example:
 *
 *     #include "highwater.h"
 *
 *     int main(void) {
 *         hw_phase("generate");                 // "generate" starts now
 *         make_rows();
 *         hw_phase("write");                    // "generate" ends, "write" starts
 *         long written = write_rows();
 *         hw_metric("rows", 1000000);
 *         hw_metric("bytes_written", (double)written);
 *         return 0;
 *     }
 *
 *     highwater run --command 'exec ./prog' --repeat 3
 *
 * Behaviour (the same as adapters/highwater_client.py):
 *   - Without HIGHWATER_EVENTS_FD (not run by Highwater) both functions do nothing and return 0.
 *   - A bad name, or a non-finite value, is not sent: the call returns -1 with errno = EINVAL.
 *   - Each line goes out in one write() (looping on short writes), so threads do not interleave lines.
 *   - A failed write (EBADF: descriptor closed; EPIPE: reader gone; ...) never kills or stops the program:
 *     SIGPIPE is blocked around the write, the first failure prints one warning on stderr, and every later
 *     call does nothing. Returns 0 in that case too.
 *
 * Needs the POSIX declarations of <signal.h> (sigprocmask, sigtimedwait): gcc's and clang's default modes have
 * them; with -std=c99/c11 define _POSIX_C_SOURCE=200809L. The state (the descriptor, whether a write failed) is
 * per translation unit.
 */
#ifndef HIGHWATER_H
#define HIGHWATER_H

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Longest line the harness accepts, in bytes, without the newline. */
#define HW_MAX_LINE_BYTES 4096

/* -2: not looked up yet, -1: off (no variable, a bad value, or a failed write), else the descriptor. */
static int hw_events_fd_ = -2;

static inline void hw_disable_(const char *why, int err) {
    hw_events_fd_ = -1;
    fprintf(stderr, "highwater: warning: %s%s%s; phases and metrics are no longer sent\n", why,
            err ? ": " : "", err ? strerror(err) : "");
}

static inline int hw_fd_(void) {
    if (hw_events_fd_ == -2) {
        const char *text = getenv("HIGHWATER_EVENTS_FD");
        hw_events_fd_ = -1;
        if (text && *text) {
            char *end = NULL;
            long fd = strtol(text, &end, 10);
            if (*end == '\0' && fd >= 0 && fd <= 1 << 30) hw_events_fd_ = (int)fd;
            else hw_disable_("HIGHWATER_EVENTS_FD is not a descriptor number", 0);
        }
    }
    return hw_events_fd_;
}

/* 1 when name matches [A-Za-z_][A-Za-z0-9_]*. */
static inline int hw_valid_name_(const char *name) {
    if (!name || !*name) return 0;
    for (const char *p = name; *p; p++) {
        char c = *p;
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(p != name && c >= '0' && c <= '9')) return 0;
    }
    return 1;
}

/* Writes len bytes (a whole line) with SIGPIPE blocked, so a vanished reader gives EPIPE instead of killing us. */
static inline void hw_send_(int fd, const char *line, size_t len) {
    sigset_t pipe_set, old_set, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old_set);  /* per thread on Linux */
    int err = 0;
    while (len > 0) {
        ssize_t n = write(fd, line, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            err = errno;
            break;
        }
        line += n;
        len -= (size_t)n;
    }
    if (err == EPIPE && !was_pending) {  /* consume our own SIGPIPE before unblocking */
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR) {}
    }
    sigprocmask(SIG_SETMASK, &old_set, NULL);
    if (err) {
        char why[64];
        snprintf(why, sizeof why, "cannot write to HIGHWATER_EVENTS_FD=%d", fd);
        hw_disable_(why, err);
    }
}

/* Marks the start of phase `name` now; it lasts until the next phase. 0 when sent or off, -1 (EINVAL) on a bad name. */
static inline int hw_phase(const char *name) {
    if (!hw_valid_name_(name) || strlen(name) > HW_MAX_LINE_BYTES - 6) { errno = EINVAL; return -1; }
    int fd = hw_fd_();
    if (fd < 0) return 0;
    char line[HW_MAX_LINE_BYTES + 2];
    int len = snprintf(line, sizeof line, "phase %s\n", name);
    hw_send_(fd, line, (size_t)len);
    return 0;
}

/* Reports `metric name=value`. 0 when sent or off, -1 (EINVAL) on a bad name or a non-finite value. */
static inline int hw_metric(const char *name, double value) {
    if (!hw_valid_name_(name) || strlen(name) > HW_MAX_LINE_BYTES - 40 || !isfinite(value)) { errno = EINVAL; return -1; }
    int fd = hw_fd_();
    if (fd < 0) return 0;
    char line[HW_MAX_LINE_BYTES + 2];
    int len = snprintf(line, sizeof line, "metric %s=%.17g\n", name, value);
    hw_send_(fd, line, (size_t)len);
    return 0;
}

#endif /* HIGHWATER_H */

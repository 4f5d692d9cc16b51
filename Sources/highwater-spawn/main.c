// highwater-spawn: a tiny spawner so that a child's wait4 ru_maxrss is its own peak.
//
// On Linux a process's ru_maxrss starts at the RSS of the address space its exec replaced; with posix_spawn
// (vfork semantics) that is the spawning process's, so children of the ~30 MB harness could never report less
// than ~30 MB. The harness therefore spawns this ~1 MB program, which spawns the real child, reaps it with
// wait4 and reports on file descriptor REPORT_FD:
//     pid <child pid>
//     exit <wait status> <ru_maxrss KiB> <utime s> <stime s>
// or `error <errno>` when the spawn failed. HW_TARGET_LD_PRELOAD (if set) becomes the child's LD_PRELOAD, so the
// preloaded allocator does not inflate this process.
//
// Usage: highwater-spawn REPORT_FD PROGRAM [ARGS...]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: highwater-spawn REPORT_FD PROGRAM [ARGS...]\n");
        return 2;
    }
    int rfd = atoi(argv[1]);
    fcntl(rfd, F_SETFD, FD_CLOEXEC);
    const char *preload = getenv("HW_TARGET_LD_PRELOAD");
    if (preload) {
        setenv("LD_PRELOAD", preload, 1);
        unsetenv("HW_TARGET_LD_PRELOAD");
    }
    pid_t pid;
    int rc = posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (rc != 0) {
        dprintf(rfd, "error %d\n", rc);
        return 127;
    }
    dprintf(rfd, "pid %d\n", (int)pid);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            dprintf(rfd, "error %d\n", errno);
            return 127;
        }
    }
    dprintf(rfd, "exit %d %ld %ld.%06ld %ld.%06ld\n", status, ru.ru_maxrss, (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
            (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
    return 0;
}

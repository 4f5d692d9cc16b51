// highwater-spawn: a tiny spawner so that a child's wait4 ru_maxrss is its own peak.
//
// On Linux a process's ru_maxrss starts at the RSS of the address space its exec replaced; with posix_spawn
// (vfork semantics) that is the spawning process's, so children of the ~30 MB harness could never report less
// than ~30 MB. The harness therefore spawns this ~1 MB program, which starts the real child, reaps it with
// wait4 and reports on file descriptor REPORT_FD:
//     pid <child pid>
//     exit <wait status> <ru_maxrss KiB> <utime s> <stime s>
// or `error <errno>` when the start failed. HW_CGROUP_PROCS (if set) names the cgroup.procs file the child writes
// `0` to before it execs (the run's own cgroup v2, see the harness's RunCgroup). HW_TARGET_LD_PRELOAD (if set) becomes the child's LD_PRELOAD, so the
// preloaded allocator does not inflate this process.
//
// Process hygiene: the child leads its own process group (the harness kills that group on a timeout or limit
// and at the end of every run, while this process survives to report). If the harness dies, the kernel sends this
// process SIGTERM (PR_SET_PDEATHSIG), and it kills the child's whole group before it exits; the child itself also
// gets SIGKILL should this process die first.
//
// Usage: highwater-spawn REPORT_FD PROGRAM [ARGS...]
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t child_group = 0;

static void parent_died(int sig) {
    (void)sig;
    if (child_group > 0) kill(-child_group, SIGKILL);
    _exit(128 + SIGTERM);
}

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
    // Orphans of the run (a background process whose parent exited) are re-parented here, not to init, so the
    // harness still finds them below this process when it walks the tree; they are reaped below.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    // The run's own cgroup, when the harness made one: the child joins it before exec, so all it allocates counts.
    char cgroup_procs[4096] = "";
    const char *cg = getenv("HW_CGROUP_PROCS");
    if (cg && strlen(cg) < sizeof cgroup_procs) strcpy(cgroup_procs, cg);
    unsetenv("HW_CGROUP_PROCS");
    pid_t harness = getppid();
    signal(SIGTERM, parent_died);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != harness) parent_died(SIGTERM);  // the harness died before prctl took effect

    // fork (this process is ~1 MB, so the child's ru_maxrss still starts near nothing) then exec, so the child can
    // be put in its own group and bound to this process's life before it runs anything.
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) {
        dprintf(rfd, "error %d\n", errno);
        return 127;
    }
    pid_t self = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        dprintf(rfd, "error %d\n", errno);
        return 127;
    }
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTERM, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != self) _exit(127);
        if (cgroup_procs[0]) {
            int fd = open(cgroup_procs, O_WRONLY | O_CLOEXEC);
            if (fd < 0 || write(fd, "0\n", 2) != 2)
                dprintf(2, "highwater-spawn: cannot join the run's cgroup (%s): %s; the peak falls back to sampling\n", cgroup_procs,
                        strerror(errno));
            if (fd >= 0) close(fd);
        }
        execve(argv[2], argv + 2, environ);
        int e = errno;
        (void)!write(errpipe[1], &e, sizeof e);
        _exit(127);
    }
    setpgid(pid, pid);  // also here, so the group exists before the harness can signal it
    child_group = pid;
    close(errpipe[1]);
    int e = 0;
    if (read(errpipe[0], &e, sizeof e) == (ssize_t)sizeof e) {
        waitpid(pid, NULL, 0);
        dprintf(rfd, "error %d\n", e);
        return 127;
    }
    close(errpipe[0]);
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
    while (waitpid(-1, NULL, WNOHANG) > 0) {}  // orphans that already ended
    dprintf(rfd, "exit %d %ld %ld.%06ld %ld.%06ld\n", status, ru.ru_maxrss, (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
            (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec);
    return 0;
}

#define _GNU_SOURCE
#include "CSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static int saved_argc;
static char **saved_argv;

#if defined(__linux__) && defined(__GLIBC__)
// glibc calls every .init_array function with (argc, argv, envp), in a static
// executable as in a dynamic one: the arguments are known without /proc.
static void save_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    saved_argc = argc;
    saved_argv = argv;
}
__attribute__((section(".init_array"), used)) static void (*const save_arguments_entry)(int, char **, char **) =
    save_arguments;
#endif

#if defined(__linux__) && defined(__GLIBC__)
static int backtrace_setting_changed;
static char *backtrace_setting;  // the SWIFT_BACKTRACE tlm was given, or NULL

// Without /proc, the Swift runtime's backtracer aborts a static executable before
// main ("Unable to obtain Swift runtime path": dladdr finds nothing in a static
// binary, and /proc/self/exe is its fallback) unless it is told where
// swift-backtrace is. It could not work without /proc anyway: switched off for
// this process, and the variable put back as it was (tlm_restore_environment)
// before anything else reads the environment. Priority 101: before the runtime's
// own initializers.
__attribute__((constructor(101))) static void tolerate_missing_proc(void) {
    if (access("/proc/self/exe", F_OK) == 0) return;
    const char *given = getenv("SWIFT_BACKTRACE");
    backtrace_setting = given ? strdup(given) : NULL;
    backtrace_setting_changed = 1;
    setenv("SWIFT_BACKTRACE", "enable=no,swift-backtrace=/nonexistent", 1);
}
#endif

void tlm_restore_environment(void) {
#if defined(__linux__) && defined(__GLIBC__)
    if (!backtrace_setting_changed) return;
    backtrace_setting_changed = 0;
    if (backtrace_setting) {
        setenv("SWIFT_BACKTRACE", backtrace_setting, 1);
        free(backtrace_setting);
    } else {
        unsetenv("SWIFT_BACKTRACE");
    }
#endif
}

char **tlm_arguments(int *count) {
    *count = saved_argc;
    return saved_argv;
}

int tlm_become_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
}

int tlm_spawn_detached(const char *path, char *const argv[], char *const envp[], pid_t *pid) {
#ifdef POSIX_SPAWN_SETSID  // glibc 2.26 and later
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int code = posix_spawn_file_actions_init(&actions);
    if (code != 0) return code;
    code = posix_spawnattr_init(&attributes);
    if (code != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return code;
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    sigset_t mask, defaults;
    sigemptyset(&mask);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attributes, &mask);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    code = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return code;
#else
    (void)path; (void)argv; (void)envp; (void)pid;
    return ENOSYS;
#endif
}

// Read only by LeakSanitizer, in a build made with `--sanitize=address`
// (Tests/sanitizers.sh); an ordinary build never calls them. libcurl, Foundation,
// Dispatch and the test libraries keep a few allocations for the life of the
// process on purpose: they are not tlm's leaks. C, not Swift: LeakSanitizer
// asks before the Swift runtime (or ASan itself) is ready.
__attribute__((visibility("default"), used, no_sanitize("address")))
const char *__lsan_default_suppressions(void) {
    return "leak:libcurl.so\nleak:FoundationNetworking\nleak:libFoundation\nleak:libdispatch\n"
           "leak:libXCTest\nleak:libTesting\n";
}

// And nothing said about them at exit: a sanitized tlm's stderr stays tlm's own.
__attribute__((visibility("default"), used, no_sanitize("address")))
const char *__lsan_default_options(void) {
    return "print_suppressions=0";
}

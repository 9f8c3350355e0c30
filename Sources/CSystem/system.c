#define _GNU_SOURCE
#include "CSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int tlm_become_child_subreaper(void) {
#ifdef __linux__
    return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int tlm_spawn_detached(const char *path, char *const argv[], char *const envp[], pid_t *pid) {
#if defined(__linux__) && defined(POSIX_SPAWN_SETSID)
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

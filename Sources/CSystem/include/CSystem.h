// The few system calls tlm needs that Swift cannot call directly (variadic in
// C, such as prctl, or hidden behind _GNU_SOURCE). Linux only, as all of tlm
// (see TLMSystem).
#ifndef TLM_C_SYSTEM_H
#define TLM_C_SYSTEM_H

#include <sys/types.h>

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are handed to this
/// process instead of init, so that it knows (and reaps) its whole tree.
int tlm_become_child_subreaper(void);

/// posix_spawn in a new session (no terminal, out of the caller's process
/// group), standard input and output on /dev/null, no other descriptor
/// inherited, an empty signal mask and every signal at its default. For the
/// background export `tlm run` starts. Returns 0 or an errno value.
int tlm_spawn_detached(const char *path, char *const argv[], char *const envp[], pid_t *pid);

/// The process's own argv (argc in *count), saved byte for byte before main
/// runs; NULL where it could not be saved (then use CommandLine). Swift's
/// CommandLine finds argv through /proc/self/maps on Linux, so without /proc
/// mounted it would see no arguments at all.
char **tlm_arguments(int *count);

/// Puts back SWIFT_BACKTRACE as tlm was given it, where tlm changed it before
/// main because /proc is not mounted (see system.c). Call it first in main.
void tlm_restore_environment(void);

/// The commit the build was made from (`abc1234`, `abc1234-dirty`), as the
/// Makefile passed it; "" when the build was not told one (see build.c).
const char *tlm_build_commit(void);

#endif

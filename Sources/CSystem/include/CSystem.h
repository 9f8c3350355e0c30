// The few system calls tlm needs that Swift cannot call directly (variadic in
// C, such as prctl, or hidden behind _GNU_SOURCE). Linux first; elsewhere each
// fails with ENOSYS.
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

#endif

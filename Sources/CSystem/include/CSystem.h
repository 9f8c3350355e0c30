// The few system calls tlm needs that Swift cannot call directly (variadic in
// C, such as prctl). Linux first; elsewhere each returns -1 with ENOSYS.
#ifndef TLM_C_SYSTEM_H
#define TLM_C_SYSTEM_H

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are handed to this
/// process instead of init, so that it knows (and reaps) its whole tree.
int tlm_become_child_subreaper(void);

#endif

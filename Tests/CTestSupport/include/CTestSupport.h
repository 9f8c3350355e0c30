// C functions the test helpers need that Swift's Glibc module does not show
// (they sit behind _GNU_SOURCE / _XOPEN_SOURCE in glibc's headers).
#ifndef TLM_C_TEST_SUPPORT_H
#define TLM_C_TEST_SUPPORT_H
#include <spawn.h>

/// A new pseudo-terminal master, granted and unlocked; -1 on failure.
int tlm_test_open_pty_master(void);
/// The path of the slave side of a master, or NULL.
const char *tlm_test_pty_slave_name(int master);
/// pipe2(fds, O_CLOEXEC).
int tlm_test_pipe_cloexec(int fds[2]);
/// POSIX_SPAWN_SETSID.
short tlm_test_spawn_setsid_flag(void);
/// posix_spawn_file_actions_addchdir_np.
int tlm_test_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np: close every descriptor from `from` up.
int tlm_test_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from);

#endif

#define _GNU_SOURCE
#include "CTestSupport.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int tlm_test_open_pty_master(void) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) { close(fd); return -1; }
    return fd;
}

const char *tlm_test_pty_slave_name(int master) { return ptsname(master); }

int tlm_test_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

short tlm_test_spawn_setsid_flag(void) { return POSIX_SPAWN_SETSID; }

int tlm_test_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int tlm_test_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

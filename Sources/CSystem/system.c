#include "CSystem.h"
#include <errno.h>
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

// The commit tlm was built from, compiled in for `tlm --version`: the Makefile's
// release builds pass -DTLM_COMMIT='"abc1234"' (or "abc1234-dirty"; see COMMIT
// there). A C macro because a Swift build setting cannot carry a value; any
// other build (swift build, swift test, a source archive) is told none.
#include "CSystem.h"

#ifndef TLM_COMMIT
#define TLM_COMMIT ""
#endif

const char *tlm_build_commit(void) { return TLM_COMMIT; }

#include "CZlib.h"
#include "zlib_abi.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

// windowBits 15 (zlib's largest window) + 16: a gzip wrapper, with the header
// zlib writes when deflateSetHeader is not called (no name, time 0, OS Unix).
enum { gzip_window_bits = 15 + 16, default_memory_level = 8 };

// zlib.h's own z_stream is 112 bytes on 64-bit Linux (LP64): a typo in zlib_abi.h stops the build.
#if defined(__LP64__)
_Static_assert(sizeof(z_stream) == 112, "z_stream must be zlib.h's");
#endif

int tlm_gzip(const unsigned char *in, size_t length, int level, unsigned char **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    z_stream stream;
    memset(&stream, 0, sizeof stream);  // zalloc, zfree, opaque NULL: zlib's malloc and free
    int status = deflateInit2_(&stream, level, Z_DEFLATED, gzip_window_bits, default_memory_level,
                               Z_DEFAULT_STRATEGY, TLM_ZLIB_VERSION, (int)sizeof(z_stream));
    if (status != Z_OK) return status;
    // With this much room and Z_FINISH, deflate ends the stream (zlib.h, deflateBound).
    size_t capacity = deflateBound(&stream, length);
    unsigned char *buffer = malloc(capacity);
    if (buffer == NULL) {
        deflateEnd(&stream);
        return Z_MEM_ERROR;
    }
    // avail_in and avail_out are unsigned int: more than 4 GiB goes in slices.
    size_t consumed = 0, produced = 0;
    for (;;) {
        size_t in_left = length - consumed, out_left = capacity - produced;
        unsigned int in_slice = in_left > UINT_MAX ? UINT_MAX : (unsigned int)in_left;
        unsigned int out_slice = out_left > UINT_MAX ? UINT_MAX : (unsigned int)out_left;
        stream.next_in = (unsigned char *)in + consumed;  // zlib does not write through next_in
        stream.avail_in = in_slice;
        stream.next_out = buffer + produced;
        stream.avail_out = out_slice;
        status = deflate(&stream, in_slice == in_left ? Z_FINISH : Z_NO_FLUSH);
        consumed += in_slice - stream.avail_in;
        produced += out_slice - stream.avail_out;
        if (status == Z_STREAM_END) break;
        // Z_OK: more slices to go. Anything else (Z_BUF_ERROR: no progress possible;
        // the room exhausted) the bound above rules out: fail rather than loop.
        if (status != Z_OK || produced == capacity) {
            deflateEnd(&stream);
            free(buffer);
            return status == Z_OK ? Z_BUF_ERROR : status;
        }
    }
    deflateEnd(&stream);
    *out = buffer;
    *out_length = produced;
    return Z_OK;
}

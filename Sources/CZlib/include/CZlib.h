// gzip through the system's zlib (libz.so.1), for tlm-export only: `tlm` links
// no zlib, as it links no libcurl. Linux only, as all of tlm.
#ifndef TLM_C_ZLIB_H
#define TLM_C_ZLIB_H

#include <stddef.h>

/// The gzip stream (RFC 1952: a 10-byte header with no name and a zero time,
/// deflate, then the CRC-32 and the size) of `in[0..<length]`, at zlib's
/// `level` (-1 for its default, 0 to 9). Returns 0 and sets `*out` (from
/// malloc: the caller frees it) and `*out_length`; or zlib's error code
/// (Z_STREAM_ERROR -2 for a level out of range, Z_MEM_ERROR -4, Z_VERSION_ERROR
/// -6, Z_BUF_ERROR -5) with `*out` NULL.
int tlm_gzip(const unsigned char *in, size_t length, int level, unsigned char **out, size_t *out_length);

#endif

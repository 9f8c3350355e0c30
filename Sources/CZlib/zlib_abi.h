// The part of zlib's interface gzip.c calls, declared here so that building
// tlm-export needs no zlib header (no zlib1g-dev): only the library, libz.so.1.
// zlib keeps this ABI for soname 1 (it has not changed since 1.0): z_stream is
// copied from zlib.h 1.2.13 (Debian 12's zlib1g-dev, lines 81-106, zconf.h's
// typedefs spelled out: Bytef unsigned char, uInt unsigned int, uLong unsigned
// long, voidpf void *), the constants from the same file.
#ifndef TLM_ZLIB_ABI_H
#define TLM_ZLIB_ABI_H

typedef void *(*alloc_func)(void *opaque, unsigned int items, unsigned int size);
typedef void (*free_func)(void *opaque, void *address);

struct internal_state;

typedef struct z_stream_s {
    unsigned char *next_in;  /* next input byte */
    unsigned int avail_in;   /* number of bytes available at next_in */
    unsigned long total_in;  /* total number of input bytes read so far */

    unsigned char *next_out; /* next output byte will go here */
    unsigned int avail_out;  /* remaining free space at next_out */
    unsigned long total_out; /* total number of bytes output so far */

    char *msg;                    /* last error message, NULL if no error */
    struct internal_state *state; /* not visible by applications */

    alloc_func zalloc; /* used to allocate the internal state */
    free_func zfree;   /* used to free the internal state */
    void *opaque;      /* private data object passed to zalloc and zfree */

    int data_type;          /* best guess about the data type: binary or text
                               for deflate, or the decoding state for inflate */
    unsigned long adler;    /* Adler-32 or CRC-32 value of the uncompressed data */
    unsigned long reserved; /* reserved for future use */
} z_stream;

#define Z_NO_FLUSH 0
#define Z_FINISH 4
#define Z_OK 0
#define Z_STREAM_END 1
#define Z_BUF_ERROR (-5)
#define Z_MEM_ERROR (-4)
#define Z_DEFLATED 8
#define Z_DEFAULT_STRATEGY 0

// deflateInit2 is a macro over deflateInit2_, which checks that the caller's
// z_stream has the library's size and that the version's first character
// (the soname's major) is the library's.
#define TLM_ZLIB_VERSION "1.2.13"

int deflateInit2_(z_stream *strm, int level, int method, int windowBits, int memLevel, int strategy,
                  const char *version, int stream_size);
int deflate(z_stream *strm, int flush);
int deflateEnd(z_stream *strm);
unsigned long deflateBound(z_stream *strm, unsigned long sourceLen);

#endif

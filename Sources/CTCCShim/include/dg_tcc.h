#ifndef DIFFGEN_TCC_SHIM_H
#define DIFFGEN_TCC_SHIM_H
#include <stddef.h>

/* A thin, version-proof layer over libtcc 0.9.27: every libtcc call happens here, under one
   process-wide lock (libtcc keeps global state). */

/* Compiled code owned by the caller: `size` bytes at `memory`, code read+execute and data
   read+write on separate pages. */
typedef struct dg_tcc_code {
    void *memory;
    size_t size;
} dg_tcc_code;

/* Compiles `source` in memory with no headers and no C library (-nostdlib); the code may call
   the `library_count` functions `library_names[i]`, bound to `library_addresses[i]`. On success
   fills `code` and `addresses[i]` for each of the `count` names in `symbols` (NULL where a name
   is not defined) and returns 0. On failure returns nonzero and writes tcc's messages into
   `errors`. */
int dg_tcc_compile(const char *source, const char *const *library_names, const void *const *library_addresses,
                   size_t library_count, const char *const *symbols, size_t count, void **addresses,
                   dg_tcc_code *code, char *errors, size_t error_capacity);

/* Releases code from dg_tcc_compile. */
void dg_tcc_free(dg_tcc_code *code);

/* tcc's version string ("0.9.27"). */
const char *dg_tcc_version(void);

#endif

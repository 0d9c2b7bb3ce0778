// The only file that talks to libtcc. Keeping the API behind this shim isolates the rest of the
// package from libtcc's changes after 0.9.27 (tcc_relocate lost its second argument).
#include "dg_tcc.h"

#include <libtcc.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_mutex_t tcc_lock = PTHREAD_MUTEX_INITIALIZER;

/* libtcc lays out executable sections first, then the others starting with .data, the first of
   them aligned to the largest alignment .data asks for. Compiled before the user's source, this
   page-aligned object opens .data, so in page-aligned memory every executable byte lies below
   it and every writable byte at or above it: code and data never share a page. */
static const char data_boundary_source[] =
    "char dg_tcc_data_boundary[1] __attribute__((aligned(4096))) = {1};\n";

typedef struct error_sink {
    char *buffer;
    size_t capacity;
    size_t used;
} error_sink;

static void collect_error(void *opaque, const char *message) {
    error_sink *sink = opaque;
    if (sink->buffer == NULL || sink->capacity == 0) return;
    size_t length = strlen(message);
    if (sink->used + length + 2 >= sink->capacity) length = sink->capacity - sink->used - 2;
    if ((long)length <= 0) return;
    memcpy(sink->buffer + sink->used, message, length);
    sink->used += length;
    sink->buffer[sink->used++] = '\n';
    sink->buffer[sink->used] = '\0';
}

int dg_tcc_compile(const char *source, const char *const *library_names, const void *const *library_addresses,
                   size_t library_count, const char *const *symbols, size_t count, void **addresses,
                   dg_tcc_code *code, char *errors, size_t error_capacity) {
    error_sink sink = {errors, error_capacity, 0};
    if (errors && error_capacity) errors[0] = '\0';
    code->memory = NULL;
    code->size = 0;
    pthread_mutex_lock(&tcc_lock);
    int status = -1;
    void *memory = MAP_FAILED;
    size_t size = 0;
    TCCState *s = tcc_new();
    if (s == NULL) {
        collect_error(&sink, "libtcc: tcc_new failed");
        goto done;
    }
    tcc_set_error_func(s, &sink, collect_error);
    tcc_set_options(s, "-nostdlib");
    if (tcc_set_output_type(s, TCC_OUTPUT_MEMORY) != 0) goto done;
    for (size_t i = 0; i < library_count; ++i) tcc_add_symbol(s, library_names[i], library_addresses[i]);
    if (tcc_compile_string(s, data_boundary_source) != 0) goto done;
    if (tcc_compile_string(s, source) != 0) goto done;
    int needed = tcc_relocate(s, NULL);
    if (needed <= 0) {
        collect_error(&sink, "libtcc: relocation failed");
        goto done;
    }
    /* Our own pages: relocated writable, then code read+execute and data read+write (never
       writable and executable once handed out). */
    long page = sysconf(_SC_PAGESIZE);
    if (page > 4096) {
        collect_error(&sink, "libtcc: pages larger than 4 KiB are not supported");
        goto done;
    }
    size = ((size_t)needed + (size_t)page - 1) / (size_t)page * (size_t)page;
    memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        collect_error(&sink, "libtcc: out of memory for code");
        goto done;
    }
    if (tcc_relocate(s, memory) < 0) goto done;
    for (size_t i = 0; i < count; ++i) addresses[i] = tcc_get_symbol(s, symbols[i]);
    char *boundary = tcc_get_symbol(s, "dg_tcc_data_boundary");
    size_t code_size = boundary ? (size_t)(boundary - (char *)memory) : 0;
    if (boundary == NULL || code_size == 0 || code_size % (size_t)page != 0 || code_size >= size) {
        collect_error(&sink, "libtcc: code and data could not be placed on separate pages");
        goto done;
    }
    if (mprotect(memory, code_size, PROT_READ | PROT_EXEC) != 0 ||
        mprotect(boundary, size - code_size, PROT_READ | PROT_WRITE) != 0) {
        collect_error(&sink, "libtcc: mprotect failed");
        goto done;
    }
    code->memory = memory;
    code->size = size;
    memory = MAP_FAILED;
    status = 0;
done:
    if (memory != MAP_FAILED) munmap(memory, size);
    if (s) tcc_delete(s);
    pthread_mutex_unlock(&tcc_lock);
    if (status != 0 && sink.used == 0) collect_error(&sink, "libtcc: compilation failed");
    return status;
}

void dg_tcc_free(dg_tcc_code *code) {
    if (code->memory) munmap(code->memory, code->size);
    code->memory = NULL;
    code->size = 0;
}

const char *dg_tcc_version(void) { return "0.9.27"; }

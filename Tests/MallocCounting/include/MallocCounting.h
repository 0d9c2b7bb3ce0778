#ifndef DIFFGEN_MALLOC_COUNTING_H
#define DIFFGEN_MALLOC_COUNTING_H
/// Starts counting heap allocations made by the calling thread.
void dg_malloc_count_begin(void);
/// Stops counting and returns how many allocations the calling thread made since begin.
long dg_malloc_count_end(void);
#endif

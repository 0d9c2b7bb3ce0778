
#ifndef DG_NOINLINE
#if defined(__GNUC__)
#define DG_NOINLINE __attribute__((noinline))
#else
#define DG_NOINLINE
#endif
#endif

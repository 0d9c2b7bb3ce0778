
#ifndef DG_RESTRICT
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L && !defined(__cplusplus)
#define DG_RESTRICT restrict
#elif defined(__GNUC__) || defined(__clang__)
#define DG_RESTRICT __restrict__
#else
#define DG_RESTRICT
#endif
#endif


#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 35)
/* glibc's vector math library has these in vector form: gcc calls them from loops over lanes
   (batched code only; its functions do not set errno). */
{{declarations}}#define DG_VECTOR_MATH __attribute__((optimize("no-math-errno")))
#else
#define DG_VECTOR_MATH
#endif

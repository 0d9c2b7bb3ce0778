#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 199901L)
/* C89's <math.h> lacks these; C libraries since C99 have them. */
{{prototypes}}#endif

/* {{banner}} */
#ifndef {{guard}}
#define {{guard}}

#ifdef __cplusplus
extern "C" {
#endif

{{declarations}}
#ifdef __cplusplus
}
#endif

#endif

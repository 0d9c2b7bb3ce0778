/* {{banner}} */
#ifndef {{guard}}
#define {{guard}}

#ifdef __cplusplus
extern "C" {
#endif

#ifndef casadi_real
#define casadi_real {{real}}
#endif

#ifndef casadi_int
#define casadi_int {{index}}
#endif

{{declarations}}
#ifdef __cplusplus
}
#endif

#endif

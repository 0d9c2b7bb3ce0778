/* {{banner}} */
{{prelude}}
#ifndef casadi_real
#define casadi_real {{real}}
#endif

#ifndef casadi_int
#define casadi_int {{index}}
#endif
{{export_macro}}
{{functions}}{{main}}

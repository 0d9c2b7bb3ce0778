{{helpers}}
{{export_macro}}
#ifdef __cplusplus
extern "C" {
#endif

/* {{name}}: {{signature}} */
static void {{name}}_eval({{parameters}}) {
{{body}}}
{{interface}}
#ifdef __cplusplus
}
#endif

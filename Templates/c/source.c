/* {{banner}} */
{{prelude}}
{{export_macro}}
#ifdef __cplusplus
extern "C" {
#endif
{{functions}}
#ifdef __cplusplus
}
#endif
{{main}}

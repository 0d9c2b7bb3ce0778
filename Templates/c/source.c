/* {{banner}} */
{{prelude}}
{{export_macro}}
{{functions}}{{main}}

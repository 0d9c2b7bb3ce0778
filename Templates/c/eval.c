
/* {{name}}: {{signature}} */
{{storage}} void {{name}}_eval({{parameters}}) {
{{body}}}

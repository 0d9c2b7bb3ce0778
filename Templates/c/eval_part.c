
/* {{name}}: part {{index}} of {{count}} (split so compile time stays linear in size) */
static DG_NOINLINE void {{name}}_part{{index}}({{parameters}}) {
{{body}}}

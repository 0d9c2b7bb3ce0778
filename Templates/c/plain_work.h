/* {{name}}: {{signature}}; work needs {{upper}}_WORK entries.{{sparsity}} */
#define {{upper}}_WORK {{work}}

/* {{name}}: {{signature}}; work needs {{upper}}_WORK entries */
#define {{upper}}_WORK {{work}}

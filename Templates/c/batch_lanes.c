
/* {{name}}: {{lanes}} points at once. Entry k of input i for lane l is xi[k*s + l], of output j
   rj[k*{{lanes}} + l]; each run of arithmetic is one loop over the lanes (which the compiler vectorizes), values
   passed between runs live in a, {{lanes}} per slot. */
{{attributes}}static void {{name}}_lanes({{parameters}}, double* DG_RESTRICT a) {
  {{index}} l;
  (void)s;
  (void)a;
{{body}}}

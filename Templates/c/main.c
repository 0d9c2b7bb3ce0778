
#include <stdio.h>

/* Reads {{input_count}} numbers from stdin (the inputs, in order, column-major) and prints the
   {{output_count}} output entries, one per line. */
int main(void) {
  static {{storage}} in[{{input_storage}}], out[{{output_storage}}], work[{{work_storage}}];
  int k;
  for (k = 0; k < {{input_count}}; ++k) {
    double value;
    if (scanf("%lf", &value) != 1) return 1;
    in[k] = ({{storage}})value;
  }
  {{call}}
  for (k = 0; k < {{output_count}}; ++k) printf("%.17g\n", (double)out[k]);
  return 0;
}


/* {{name}}_batch: n points in one call. Entry k of input i for point p is arg[i][k*stride + p]
   (one row of n or more values per entry, so points are contiguous); outputs likewise.
   w holds {{name}}_batch_work() doubles. */
{{export}} {{index}} {{name}}_batch_work(void) { return {{work}}; }

{{export}} int {{name}}_batch(const double** arg, double** res, {{index}} n, {{index}} stride, double* w) {
  {{index}} p, k, l, m;
  (void)k;
  (void)l;
  (void)m;
{{body}}  return 0;
}

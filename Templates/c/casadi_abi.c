
static const double {{name}}_zeros[{{zeros}}] = {0};
{{sparsity}}
{{export}} int {{name}}(const double** arg, double** res, {{index}}* iw, double* w, int mem) {
  (void)iw;
  (void)mem;
  {{name}}_eval({{arguments}});
  return 0;
}

{{export}} int {{name}}_alloc_mem(void) { return 0; }

{{export}} int {{name}}_init_mem(int mem) { (void)mem; return 0; }

{{export}} void {{name}}_free_mem(int mem) { (void)mem; }

{{export}} int {{name}}_checkout(void) { return 0; }

{{export}} void {{name}}_release(int mem) { (void)mem; }

{{export}} void {{name}}_incref(void) {}

{{export}} void {{name}}_decref(void) {}

{{export}} {{index}} {{name}}_n_in(void) { return {{n_in}}; }

{{export}} {{index}} {{name}}_n_out(void) { return {{n_out}}; }

{{export}} double {{name}}_default_in({{index}} i) { (void)i; return 0; }

{{export}} const char* {{name}}_name_in({{index}} i) {
  switch (i) {
{{name_in_cases}}    default: return 0;
  }
}

{{export}} const char* {{name}}_name_out({{index}} i) {
  switch (i) {
{{name_out_cases}}    default: return 0;
  }
}

{{export}} const {{index}}* {{name}}_sparsity_in({{index}} i) {
  switch (i) {
{{sparsity_in_cases}}    default: return 0;
  }
}

{{export}} const {{index}}* {{name}}_sparsity_out({{index}} i) {
  switch (i) {
{{sparsity_out_cases}}    default: return 0;
  }
}

{{export}} int {{name}}_work({{index}}* sz_arg, {{index}}* sz_res, {{index}}* sz_iw, {{index}}* sz_w) {
  if (sz_arg) *sz_arg = {{n_in}};
  if (sz_res) *sz_res = {{n_out}};
  if (sz_iw) *sz_iw = 0;
  if (sz_w) *sz_w = {{work}};
  return 0;
}

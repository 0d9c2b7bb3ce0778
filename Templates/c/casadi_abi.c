
static const casadi_real {{name}}_zeros[{{zeros}}];
{{sparsity}}
{{export}} int {{name}}(const casadi_real** arg, casadi_real** res, casadi_int* iw, casadi_real* w, int mem) {
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

{{export}} casadi_int {{name}}_n_in(void) { return {{n_in}}; }

{{export}} casadi_int {{name}}_n_out(void) { return {{n_out}}; }

{{export}} casadi_real {{name}}_default_in(casadi_int i) { (void)i; return 0; }

{{export}} const char* {{name}}_name_in(casadi_int i) {
  switch (i) {
{{name_in_cases}}    default: return 0;
  }
}

{{export}} const char* {{name}}_name_out(casadi_int i) {
  switch (i) {
{{name_out_cases}}    default: return 0;
  }
}

{{export}} const casadi_int* {{name}}_sparsity_in(casadi_int i) {
  switch (i) {
{{sparsity_in_cases}}    default: return 0;
  }
}

{{export}} const casadi_int* {{name}}_sparsity_out(casadi_int i) {
  switch (i) {
{{sparsity_out_cases}}    default: return 0;
  }
}

{{export}} int {{name}}_work(casadi_int* sz_arg, casadi_int* sz_res, casadi_int* sz_iw, casadi_int* sz_w) {
  if (sz_arg) *sz_arg = {{n_in}};
  if (sz_res) *sz_res = {{n_out}};
  if (sz_iw) *sz_iw = 0;
  if (sz_w) *sz_w = {{work}};
  return 0;
}

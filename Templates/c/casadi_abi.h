/* {{name}}: {{signature}}; work: {{work}} doubles (as {{name}}_work reports).{{sparsity}} */
int {{name}}(const double** arg, double** res, {{index}}* iw, double* w, int mem);
int {{name}}_alloc_mem(void);
int {{name}}_init_mem(int mem);
void {{name}}_free_mem(int mem);
int {{name}}_checkout(void);
void {{name}}_release(int mem);
void {{name}}_incref(void);
void {{name}}_decref(void);
{{index}} {{name}}_n_in(void);
{{index}} {{name}}_n_out(void);
double {{name}}_default_in({{index}} i);
const char* {{name}}_name_in({{index}} i);
const char* {{name}}_name_out({{index}} i);
const {{index}}* {{name}}_sparsity_in({{index}} i);
const {{index}}* {{name}}_sparsity_out({{index}} i);
int {{name}}_work({{index}}* sz_arg, {{index}}* sz_res, {{index}}* sz_iw, {{index}}* sz_w);

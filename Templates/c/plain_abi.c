
{{export}} void {{name}}({{parameters}}) {
  (void)work;
  {{name}}_eval({{arguments}});
}
